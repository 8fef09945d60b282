//! Status computation (spec §2.5): pure, so the server can recompute it for
//! any `?today=` without reading the sources again.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::hash::FastMap;
use crate::model::{Milestone, Roadmap, State, Status};

/// Sets every milestone's status for `today` and records `today` on the roadmap.
///
/// Blocked spreads from a declared-blocked milestone to everything that
/// depends on it, transitively, through resolved dependencies only; finished
/// work (done, cancelled) neither becomes nor passes on blocked. Each
/// milestone is visited once, so a dependency cycle cannot loop.
pub fn compute_statuses(roadmap: &mut Roadmap, today: NaiveDate, due_soon_days: i64) {
    roadmap.today = Some(today);
    let milestones = &mut roadmap.milestones;
    let index: FastMap<&str, usize> = milestones
        .iter()
        .enumerate()
        .map(|(position, milestone)| (milestone.id.as_str(), position))
        .collect();
    // dependents[i]: the milestones that depend on milestone i.
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); milestones.len()];
    for (position, milestone) in milestones.iter().enumerate() {
        for dependency in &milestone.dependencies {
            if let Some(&target) = dependency.milestone.as_deref().and_then(|id| index.get(id)) {
                dependents[target].push(position);
            }
        }
    }
    drop(index);
    set_blocked_and_statuses(milestones, &dependents, today, due_soon_days);
}

/// Sets every milestone's status for `today` from its resolved dependencies
/// (`edges[i]`: the milestones milestone `i` depends on), as
/// [`compute_statuses`] does without looking ids up again.
#[cfg(feature = "parse")]
pub(crate) fn set_statuses(
    milestones: &mut [Arc<Milestone>],
    edges: &[Vec<usize>],
    today: NaiveDate,
    due_soon_days: i64,
) {
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); milestones.len()];
    for (position, targets) in edges.iter().enumerate() {
        for &target in targets {
            dependents[target].push(position);
        }
    }
    set_blocked_and_statuses(milestones, &dependents, today, due_soon_days);
}

/// Spreads blocked through `dependents` and sets every status.
fn set_blocked_and_statuses(
    milestones: &mut [Arc<Milestone>],
    dependents: &[Vec<usize>],
    today: NaiveDate,
    due_soon_days: i64,
) {
    let finished = |state: State| matches!(state, State::Done | State::Cancelled);
    let mut blocked = vec![false; milestones.len()];
    let mut queue: Vec<usize> = milestones
        .iter()
        .enumerate()
        .filter(|(_, milestone)| milestone.state == State::Blocked)
        .map(|(position, _)| position)
        .collect();
    for &position in &queue {
        blocked[position] = true;
    }
    while let Some(position) = queue.pop() {
        for &dependent in &dependents[position] {
            if !blocked[dependent] && !finished(milestones[dependent].state) {
                blocked[dependent] = true;
                queue.push(dependent);
            }
        }
    }
    for (milestone, blocked) in milestones.iter_mut().zip(blocked) {
        let status = status_of(milestone, blocked, today, due_soon_days);
        // Only a changed milestone is copied out of a shared revision.
        if milestone.status != status {
            Arc::make_mut(milestone).status = status;
        }
    }
}

/// One milestone's status for `today`, given whether a blocked dependency
/// reaches it.
pub(crate) fn status_of(
    milestone: &Milestone,
    blocked: bool,
    today: NaiveDate,
    due_soon_days: i64,
) -> Status {
    match milestone.state {
        State::Done => Status::Done,
        State::Cancelled => Status::Cancelled,
        _ if blocked => Status::Blocked,
        _ => match milestone.target {
            None => Status::Unscheduled,
            Some(target) if target < today => Status::Overdue,
            Some(target) if (target - today).num_days() <= due_soon_days => Status::DueSoon,
            Some(_) => Status::OnTrack,
        },
    }
}
