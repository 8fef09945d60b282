//! Timeline layout: rows grouped by team or document, bar and marker geometry
//! from dates, the month or quarter scale, the today line and the dependency
//! arrows, all in pixels. The view only draws what this computes.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
pub use milepost_shared::display::TeamNames;
use milepost_shared::{Marker, Milestone, display::month_abbrev, filter::same_team};

use crate::sorting;

/// Height of every row (group headings and milestones), in pixels. The
/// label column and the chart share it so they line up.
pub const ROW_HEIGHT: f64 = 32.0;
/// Half the width of the diamond drawn for a target without a start.
pub const POINT_RADIUS: f64 = 7.0;
/// Height of the scale above the rows.
pub const AXIS_HEIGHT: f64 = 40.0;

/// How rows are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grouping {
    /// By a milestone's first owner ("Unowned" when none).
    #[default]
    Team,
    /// By the document it was read from.
    Document,
}

impl Grouping {
    pub fn parse(text: &str) -> Option<Grouping> {
        match text {
            "team" => Some(Grouping::Team),
            "document" => Some(Grouping::Document),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::Team => "team",
            Grouping::Document => "document",
        }
    }
}

/// The scale: ticks per month, or per quarter with more time on screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zoom {
    #[default]
    Month,
    Quarter,
}

impl Zoom {
    pub fn parse(text: &str) -> Option<Zoom> {
        match text {
            "month" => Some(Zoom::Month),
            "quarter" => Some(Zoom::Quarter),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Zoom::Month => "month",
            Zoom::Quarter => "quarter",
        }
    }
    /// Pixels per day: a month is about 120 px, a quarter about 140 px.
    pub fn px_per_day(self) -> f64 {
        match self {
            Zoom::Month => 4.0,
            Zoom::Quarter => 1.5,
        }
    }
    /// Months per tick.
    fn months(self) -> u32 {
        match self {
            Zoom::Month => 1,
            Zoom::Quarter => 3,
        }
    }
}

/// Where a milestone sits on its row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// From start to target.
    Bar { x: f64, width: f64 },
    /// A marker at the target (no start, or a start after the target).
    Point { x: f64 },
}

impl Shape {
    /// Left edge: where arrows into this milestone end.
    pub fn left(self) -> f64 {
        match self {
            Shape::Bar { x, .. } => x,
            Shape::Point { x } => x - POINT_RADIUS,
        }
    }
    /// Right edge: where arrows out of this milestone start.
    pub fn right(self) -> f64 {
        match self {
            Shape::Bar { x, width } => x + width,
            Shape::Point { x } => x + POINT_RADIUS,
        }
    }
}

/// One row of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub enum Row {
    /// A group heading.
    Group { label: String, y: f64, count: usize },
    /// A milestone, by its index in the slice given to [`layout`].
    Milestone { index: usize, y: f64, shape: Shape },
}

impl Row {
    pub fn y(&self) -> f64 {
        match self {
            Row::Group { y, .. } | Row::Milestone { y, .. } => *y,
        }
    }
}

/// What a row stands for, the same in every layout of one load: a group by
/// its label (case aside, as groups are formed) or a milestone by its index
/// in the roadmap. A row whose key stays from one filter to the next is moved
/// in place instead of drawn anew.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RowKey {
    Group(String),
    Milestone(usize),
}

impl Row {
    /// This row's key; `roadmap_index` maps an index into the slice given
    /// to [`layout`] to the milestone's index in the roadmap.
    pub fn key(&self, roadmap_index: impl Fn(usize) -> usize) -> RowKey {
        match self {
            Row::Group { label, .. } => RowKey::Group(label.to_lowercase()),
            Row::Milestone { index, .. } => RowKey::Milestone(roadmap_index(*index)),
        }
    }
}

/// The scale and the lines drawn across every row: they change with the
/// dates in view and the zoom, not with each row, so a filter that keeps the
/// range keeps them as drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scale {
    pub width: f64,
    pub ticks: Vec<Tick>,
    pub markers: Vec<MarkerLine>,
    pub today_x: Option<f64>,
}

impl Layout {
    /// The scale part of this layout.
    pub fn scale(&self) -> Scale {
        Scale {
            width: self.width,
            ticks: self.ticks.clone(),
            markers: self.markers.clone(),
            today_x: self.today_x,
        }
    }

    /// The mark and row top of the first milestone on the chart for which
    /// `is` holds (given its index into the slice laid out).
    pub fn find_mark(&self, is: impl Fn(usize) -> bool) -> Option<(Shape, f64)> {
        self.rows.iter().find_map(|row| match row {
            Row::Milestone { index, shape, y } if is(*index) => Some((*shape, *y)),
            _ => None,
        })
    }

    /// The rows in `range` (see [`rows_in_view`]) with their keys, in order.
    pub fn keyed_rows(
        &self,
        range: std::ops::Range<usize>,
        roadmap_index: impl Fn(usize) -> usize,
    ) -> Vec<(RowKey, Row)> {
        let range = range.start.min(self.rows.len())..range.end.min(self.rows.len());
        self.rows[range]
            .iter()
            .map(|row| (row.key(&roadmap_index), row.clone()))
            .collect()
    }
}

/// A scale mark at the start of a month or quarter.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub x: f64,
    pub label: String,
    /// January (month zoom) or Q1 (quarter zoom): drawn stronger.
    pub year_start: bool,
}

/// An arrow from a milestone to one that depends on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    /// Index of the dependency (upstream).
    pub from: usize,
    /// Index of the dependent (downstream).
    pub to: usize,
    /// SVG path data.
    pub path: String,
}

/// A dated roadmap marker (a `roadmap.yml` timeline entry) on the scale.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkerLine {
    pub x: f64,
    pub title: String,
    pub date: NaiveDate,
    /// Where its label is drawn: see [`marker_label`].
    pub label: Label,
}

/// A label on the axis: text starting at `x`, or ending there when `end`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Label {
    pub x: f64,
    pub end: bool,
}

/// Half the width of the "Today" flag above the today line.
pub const TODAY_FLAG_HALF: f64 = 22.0;
/// Room between a label and its line, or the flag.
const LABEL_GAP: f64 = 4.0;
/// A generous width per character of a 10 px label.
const LABEL_CHAR_WIDTH: f64 = 6.0;

/// Where the label of a marker at `x` goes on the axis: right of its line,
/// unless it would run into the "Today" flag at `today`; then left of its
/// line when that is clear of the flag and within the chart, or else just
/// right of the flag.
pub fn marker_label(x: f64, title: &str, today: Option<f64>) -> Label {
    let right = Label {
        x: x + LABEL_GAP,
        end: false,
    };
    let Some(today) = today else {
        return right;
    };
    let width = title.chars().count() as f64 * LABEL_CHAR_WIDTH;
    let flag = (
        today - TODAY_FLAG_HALF - LABEL_GAP,
        today + TODAY_FLAG_HALF + LABEL_GAP,
    );
    let clear = |from: f64, to: f64| to <= flag.0 || from >= flag.1;
    if clear(x + LABEL_GAP, x + LABEL_GAP + width) {
        right
    } else if x - LABEL_GAP - width >= 0.0 && clear(x - LABEL_GAP - width, x - LABEL_GAP) {
        Label {
            x: x - LABEL_GAP,
            end: true,
        }
    } else {
        Label {
            x: flag.1,
            end: false,
        }
    }
}

/// Everything the timeline draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Width of the chart area.
    pub width: f64,
    /// Height of the rows (the axis is above them).
    pub height: f64,
    pub ticks: Vec<Tick>,
    /// The today line, when today is known.
    pub today_x: Option<f64>,
    pub rows: Vec<Row>,
    pub arrows: Vec<Arrow>,
    pub markers: Vec<MarkerLine>,
    /// Indices of milestones with no date, listed beside the chart.
    pub undated: Vec<usize>,
    /// First day of the scale.
    pub origin: NaiveDate,
}

/// How rows are grouped: by document, or by team (`teams` names an owner's
/// team; a milestone of several teams goes under `team`, the team the view
/// is filtered by, when it is one of them, else under its first owner's).
#[derive(Clone, Copy)]
pub struct Groups<'a> {
    pub grouping: Grouping,
    pub teams: &'a TeamNames,
    pub team: Option<&'a str>,
}

/// Lays out `milestones` (already filtered). `arrows` asks for dependency
/// arrows between milestones that are both on the chart.
pub fn layout(
    milestones: &[&Milestone],
    groups_by: Groups<'_>,
    zoom: Zoom,
    today: Option<NaiveDate>,
    markers: &[Marker],
    arrows: bool,
) -> Layout {
    let dated: Vec<usize> = (0..milestones.len())
        .filter(|&i| milestones[i].target.is_some())
        .collect();
    let undated: Vec<usize> = (0..milestones.len())
        .filter(|&i| milestones[i].target.is_none())
        .collect();

    let dates = dated
        .iter()
        .flat_map(|&i| [milestones[i].start, milestones[i].target])
        .flatten()
        .chain(today)
        .chain(markers.iter().map(|m| m.date));
    let (first, last) = dates.fold((None::<NaiveDate>, None::<NaiveDate>), |(lo, hi), d| {
        (
            Some(lo.map_or(d, |lo| lo.min(d))),
            Some(hi.map_or(d, |hi| hi.max(d))),
        )
    });
    let fallback = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let origin = period_start(first.unwrap_or(fallback), zoom);
    // One whole period of room after the last date, so its label fits.
    let end = add_months(
        period_start(last.unwrap_or(fallback), zoom),
        zoom.months() * 2,
    );
    let ppd = zoom.px_per_day();
    let x_of = |date: NaiveDate| (date - origin).num_days() as f64 * ppd;
    let width = x_of(end);

    let mut ticks = Vec::new();
    let mut tick = origin;
    while tick < end {
        let label = match zoom {
            Zoom::Month if tick.month() == 1 => format!("{} {}", month_abbrev(tick), tick.year()),
            Zoom::Month => month_abbrev(tick).to_string(),
            Zoom::Quarter => format!("Q{} {}", tick.month0() / 3 + 1, tick.year()),
        };
        ticks.push(Tick {
            x: x_of(tick),
            label,
            year_start: tick.month() == 1,
        });
        tick = add_months(tick, zoom.months());
    }

    // Group the dated milestones, keeping the caller's order inside a group
    // after sorting by start (or target) so a group reads left to right.
    // Labels that differ only in case are one group (a map, not a search
    // per milestone: this runs on every search over thousands of them).
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for &i in &dated {
        let label = group_label(milestones[i], groups_by);
        match group_of.get(&label.to_lowercase()) {
            Some(&g) => groups[g].1.push(i),
            None => {
                group_of.insert(label.to_lowercase(), groups.len());
                groups.push((label, vec![i]));
            }
        }
    }
    sorting::sort_by_key(&mut groups, |(label, _)| {
        (label == UNOWNED, label.to_lowercase())
    });
    let mut rows = Vec::new();
    let mut y = 0.0;
    for (label, mut members) in groups {
        sorting::sort_by_key(&mut members, |&i| {
            (
                milestones[i].start.or(milestones[i].target),
                milestones[i].target,
            )
        });
        rows.push(Row::Group {
            label,
            y,
            count: members.len(),
        });
        y += ROW_HEIGHT;
        for i in members {
            let milestone = milestones[i];
            let Some(target) = milestone.target else {
                continue;
            };
            let shape = match milestone.start {
                Some(start) if start < target => Shape::Bar {
                    x: x_of(start),
                    width: x_of(target) - x_of(start),
                },
                _ => Shape::Point { x: x_of(target) },
            };
            rows.push(Row::Milestone { index: i, y, shape });
            y += ROW_HEIGHT;
        }
    }

    let arrows = if arrows {
        dependency_arrows(milestones, &rows)
    } else {
        Vec::new()
    };
    let today_x = today.map(x_of);
    let markers = markers
        .iter()
        .map(|marker| {
            let x = x_of(marker.date);
            MarkerLine {
                x,
                title: marker.title.clone(),
                date: marker.date,
                label: marker_label(x, &marker.title, today_x),
            }
        })
        .collect();
    Layout {
        width,
        height: y,
        ticks,
        today_x,
        rows,
        arrows,
        markers,
        undated,
        origin,
    }
}

const UNOWNED: &str = "Unowned";

/// The heading a milestone is grouped under: its document, or its team (an
/// owner written as a team's group ref is that team): the filtered team
/// when it owns the milestone, else the first owner's.
pub fn group_label(milestone: &Milestone, groups: Groups<'_>) -> String {
    match groups.grouping {
        Grouping::Team => {
            let names = milestone
                .owners
                .iter()
                .map(|owner| groups.teams.name_of(owner));
            let filtered = groups
                .team
                .and_then(|team| names.clone().find(|name| same_team(name, team)));
            filtered
                .or_else(|| names.clone().next())
                .unwrap_or(UNOWNED)
                .to_string()
        }
        Grouping::Document => milestone.document.clone(),
    }
}

/// Arrows from each resolved dependency's right edge to its dependent's left
/// edge, as a smooth curve; dependencies not on the chart draw nothing.
fn dependency_arrows(milestones: &[&Milestone], rows: &[Row]) -> Vec<Arrow> {
    let placed = |id: &str| {
        rows.iter().find_map(|row| match row {
            Row::Milestone { index, y, shape } if milestones[*index].id == id => {
                Some((*index, *y, *shape))
            }
            _ => None,
        })
    };
    let mut arrows = Vec::new();
    for row in rows {
        let Row::Milestone {
            index: to,
            y: to_y,
            shape: to_shape,
        } = row
        else {
            continue;
        };
        for dependency in &milestones[*to].dependencies {
            let Some((from, from_y, from_shape)) = dependency.milestone.as_deref().and_then(placed)
            else {
                continue;
            };
            let (x1, y1) = (from_shape.right(), from_y + ROW_HEIGHT / 2.0);
            let (x2, y2) = (to_shape.left(), to_y + ROW_HEIGHT / 2.0);
            // The curve leaves rightwards and arrives from the left, bending
            // further when the dependent starts before its dependency ends.
            let bend = ((x2 - x1).abs() / 2.0).max(24.0);
            // Whole pixels: integer formatting keeps the float printing
            // machinery out of the wasm, and half a pixel is invisible here.
            let px = |value: f64| value.round() as i32;
            let path = format!(
                "M{} {} C{} {} {} {} {} {}",
                px(x1),
                px(y1),
                px(x1 + bend),
                px(y1),
                px(x2 - bend),
                px(y2),
                px(x2),
                px(y2)
            );
            arrows.push(Arrow {
                from,
                to: *to,
                path,
            });
        }
    }
    arrows
}

/// The rows worth drawing when the chart is scrolled to `top` and shows
/// `height` pixels of rows, with `margin` pixels drawn beyond each edge so
/// scrolling does not reveal blanks. Rows are evenly spaced, so this is
/// arithmetic, not a search.
pub fn rows_in_view(
    row_count: usize,
    top: f64,
    height: f64,
    margin: f64,
) -> std::ops::Range<usize> {
    let first = ((top - margin) / ROW_HEIGHT).floor().max(0.0) as usize;
    let last = ((top + height + margin) / ROW_HEIGHT).ceil().max(0.0) as usize;
    first.min(row_count)..last.min(row_count)
}

/// Where today sits in a chart that has nothing better to show: this many
/// pixels from its left edge, with the months ahead in view.
const TODAY_FROM_LEFT: f64 = 160.0;
/// Room kept between today, or a mark brought into view, and the edge of the
/// chart, so neither is drawn against the border.
pub const EDGE_ROOM: f64 = 40.0;

/// Where a chart opens: see [`opening`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Opening {
    /// How far the chart is scrolled sideways.
    pub from: f64,
    /// Open milestones with some of their mark in view.
    pub shown: usize,
    /// Open milestones on the chart (those with a date).
    pub open: usize,
}

/// How far to scroll a chart `view` pixels wide when it opens: today stays
/// in view, and as many of the milestones a reader still has to act on
/// (`open`, by index into the slice given to [`layout`]) as fit beside it.
/// Among equally good windows, the one closest to today at
/// `TODAY_FROM_LEFT` wins, so a roadmap with nothing overdue opens on the
/// months ahead. Without today, the window shows the most open milestones,
/// starting from the earliest. The scroll is within the chart.
pub fn opening(layout: &Layout, open: impl Fn(usize) -> bool, view: f64) -> Opening {
    let spans: Vec<(f64, f64)> = layout
        .rows
        .iter()
        .filter_map(|row| match row {
            Row::Milestone { index, shape, .. } if open(*index) => {
                Some((shape.left(), shape.right()))
            }
            _ => None,
        })
        .collect();
    let (lowest, highest, preferred) = match layout.today_x {
        // A view too narrow for the room on both sides centres today.
        Some(today) if view < 2.0 * EDGE_ROOM => {
            (today - view / 2.0, today - view / 2.0, today - view / 2.0)
        }
        Some(today) => (
            today - view + EDGE_ROOM,
            today - EDGE_ROOM,
            today - TODAY_FROM_LEFT,
        ),
        None => (
            f64::NEG_INFINITY,
            f64::INFINITY,
            spans
                .iter()
                .map(|&(left, _)| left - EDGE_ROOM)
                .fold(f64::INFINITY, f64::min),
        ),
    };
    let clamp = |left: f64| left.max(lowest).min(highest);
    let preferred = if preferred.is_finite() {
        clamp(preferred)
    } else {
        0.0
    };
    let mut lefts: Vec<f64> = spans.iter().map(|&(left, _)| left).collect();
    let mut rights: Vec<f64> = spans.iter().map(|&(_, right)| right).collect();
    sorting::sort_by(&mut lefts, f64::total_cmp);
    sorting::sort_by(&mut rights, f64::total_cmp);
    // Marks touching the window [from, from + view]: all but those ending
    // before it and those starting after it (a mark ending before the window
    // cannot start after it, so the two counts never overlap).
    let in_view = |from: f64| {
        let ending_before = rights.partition_point(|&right| right < from);
        let starting_after = spans.len() - lefts.partition_point(|&left| left <= from + view);
        spans.len() - ending_before - starting_after
    };
    // The best window starts just before some mark or ends just after one
    // (or is the preferred one), so those are the only candidates.
    let candidates = spans
        .iter()
        .flat_map(|&(left, right)| [left - EDGE_ROOM, right + EDGE_ROOM - view])
        .map(clamp)
        .chain([preferred]);
    let mut best = (in_view(preferred), preferred);
    for from in candidates {
        let count = in_view(from);
        let closer = (from - preferred).abs() < (best.1 - preferred).abs();
        if count > best.0 || (count == best.0 && closer) {
            best = (count, from);
        }
    }
    let from = best.1.min(layout.width - view).max(0.0);
    Opening {
        from,
        shown: in_view(from),
        open: spans.len(),
    }
}

/// The zoom a chart `view` pixels wide opens on when the reader has not
/// chosen one: months, unless months cannot show every open milestone beside
/// today and quarters show more of them. `quarters` lays the same milestones
/// out by quarter; it is only called when months fall short.
pub fn opening_zoom(
    months: &Layout,
    quarters: impl FnOnce() -> Layout,
    open: impl Fn(usize) -> bool,
    view: f64,
) -> Zoom {
    let by_month = opening(months, &open, view);
    if by_month.shown == by_month.open {
        return Zoom::Month;
    }
    if opening(&quarters(), &open, view).shown > by_month.shown {
        Zoom::Quarter
    } else {
        Zoom::Month
    }
}

/// Which side of a chart scrolled to `from` and `view` pixels wide a mark
/// lies on when none of it is in view; `None` when some of it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfView {
    Before,
    After,
}

impl OutOfView {
    pub fn of(shape: Shape, from: f64, view: f64) -> Option<OutOfView> {
        if shape.right() < from {
            Some(OutOfView::Before)
        } else if shape.left() > from + view {
            Some(OutOfView::After)
        } else {
            None
        }
    }

    /// Where to scroll a chart `view` pixels wide, now scrolled to `from`,
    /// so that `shape` comes into view at the edge it was beyond, with
    /// `EDGE_ROOM` to spare; `None` when some of it shows already.
    pub fn bring_into_view(shape: Shape, from: f64, view: f64) -> Option<f64> {
        let to = match OutOfView::of(shape, from, view)? {
            OutOfView::Before => shape.left() - EDGE_ROOM,
            OutOfView::After => shape.right() + EDGE_ROOM - view,
        };
        Some(to.max(0.0))
    }
}

/// Where to scroll a box showing `height` pixels of rows, now scrolled to
/// `top`, so that the row at `y` shows whole; `None` when it does.
pub fn row_into_view(y: f64, top: f64, height: f64) -> Option<f64> {
    if y < top {
        Some(y)
    } else if y + ROW_HEIGHT > top + height {
        Some((y + ROW_HEIGHT - height).max(0.0))
    } else {
        None
    }
}

/// The first day of the month or quarter holding `date`.
pub fn period_start(date: NaiveDate, zoom: Zoom) -> NaiveDate {
    let month0 = match zoom {
        Zoom::Month => date.month0(),
        Zoom::Quarter => date.month0() / 3 * 3,
    };
    NaiveDate::from_ymd_opt(date.year(), month0 + 1, 1).unwrap_or(date)
}

/// The first of the month `months` after `date`'s month.
fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    let total = date.year() * 12 + date.month0() as i32 + months as i32;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{MilestoneExt, day, milestone};
    use milepost_shared::{Roadmap, Status};

    fn sample() -> Vec<Milestone> {
        vec![
            milestone("pay-2", Status::DueSoon, Some("2026-01-30"))
                .starting("2026-01-05")
                .owned_by(&["Payments"])
                .depends_on("pay-1"),
            milestone("pay-1", Status::Done, Some("2026-01-16")).owned_by(&["Payments"]),
            milestone("sec", Status::OnTrack, Some("2026-03-31"))
                .owned_by(&["Security"])
                .in_document("sec.md"),
            milestone("tbd", Status::Unscheduled, None).owned_by(&["Payments"]),
            milestone("orphan", Status::OnTrack, Some("2026-02-10")),
        ]
    }

    /// [`layout`] without team refs or markers, what most tests are about.
    #[test]
    fn a_milestone_of_several_teams_is_grouped_under_the_filtered_one() {
        let shared = milestone("Wallet SDK beta", Status::DueSoon, Some("2026-01-30"))
            .owned_by(&["Mobile", "Payments"]);
        let teams = TeamNames::default();
        let under = |team: Option<&str>| {
            group_label(
                &shared,
                Groups {
                    grouping: Grouping::Team,
                    teams: &teams,
                    team,
                },
            )
        };
        assert_eq!(under(None), "Mobile");
        assert_eq!(under(Some("payments")), "Payments");
        assert_eq!(under(Some("Docs")), "Mobile", "a team it is not owned by");
    }

    fn lay(
        milestones: &[&Milestone],
        grouping: Grouping,
        zoom: Zoom,
        today: Option<NaiveDate>,
        arrows: bool,
    ) -> Layout {
        layout(
            milestones,
            Groups {
                grouping,
                teams: &TeamNames::default(),
                team: None,
            },
            zoom,
            today,
            &[],
            arrows,
        )
    }

    fn ids(milestones: &[&Milestone], rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|row| match row {
                Row::Group { label, .. } => format!("[{label}]"),
                Row::Milestone { index, .. } => milestones[*index].id.clone(),
            })
            .collect()
    }

    #[test]
    fn rows_group_by_first_owner_and_read_left_to_right() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().collect();
        let layout = lay(
            &refs,
            Grouping::Team,
            Zoom::Month,
            Some(day("2026-01-20")),
            false,
        );
        assert_eq!(
            ids(&refs, &layout.rows),
            vec![
                "[Payments]",
                "pay-2",
                "pay-1",
                "[Security]",
                "sec",
                "[Unowned]",
                "orphan"
            ]
        );
        assert_eq!(
            layout.undated,
            vec![3],
            "the undated milestone is listed, not dropped"
        );
        let ys: Vec<f64> = layout.rows.iter().map(Row::y).collect();
        assert!(
            ys.windows(2).all(|w| w[1] - w[0] == ROW_HEIGHT),
            "rows are evenly spaced: {ys:?}"
        );
        assert_eq!(layout.height, ROW_HEIGHT * 7.0);
    }

    #[test]
    fn an_owner_written_as_a_group_ref_is_grouped_under_its_team() {
        let mut roadmap = Roadmap::default();
        roadmap
            .teams
            .push(std::sync::Arc::new(milepost_shared::Team {
                name: "Platform".to_string(),
                group_ref: Some("group:default/platform".to_string()),
                responsibilities: Vec::new(),
                milestones: Vec::new(),
            }));
        let teams = TeamNames::of(&roadmap);
        let sample = [
            milestone("dash", Status::OnTrack, Some("2026-02-01"))
                .owned_by(&["Group:Default/Platform"]),
            milestone("portal", Status::OnTrack, Some("2026-03-01")).owned_by(&["Platform"]),
            milestone("other", Status::OnTrack, Some("2026-03-01"))
                .owned_by(&["group:default/search"]),
        ];
        let refs: Vec<&Milestone> = sample.iter().collect();
        let groups = Groups {
            grouping: Grouping::Team,
            teams: &teams,
            team: None,
        };
        let layout = layout(&refs, groups, Zoom::Month, None, &[], false);
        assert_eq!(
            ids(&refs, &layout.rows),
            vec![
                "[group:default/search]",
                "other",
                "[Platform]",
                "dash",
                "portal"
            ],
            "a ref no team carries stays as written"
        );
    }

    #[test]
    fn grouping_by_document_uses_paths() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().collect();
        let layout = lay(&refs, Grouping::Document, Zoom::Month, None, false);
        assert_eq!(
            ids(&refs, &layout.rows),
            vec![
                "[docs/plan.md]",
                "pay-2",
                "pay-1",
                "orphan",
                "[sec.md]",
                "sec"
            ]
        );
    }

    #[test]
    fn bars_span_start_to_target_and_points_sit_on_the_target() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().collect();
        let layout = lay(
            &refs,
            Grouping::Team,
            Zoom::Month,
            Some(day("2026-01-20")),
            false,
        );
        assert_eq!(layout.origin, day("2026-01-01"));
        let shape = |id: &str| {
            layout.rows.iter().find_map(|row| match row {
                Row::Milestone { index, shape, .. } if refs[*index].id == id => Some(*shape),
                _ => None,
            })
        };
        assert_eq!(
            shape("pay-2"),
            Some(Shape::Bar {
                x: 4.0 * 4.0,
                width: 25.0 * 4.0
            })
        );
        assert_eq!(shape("pay-1"), Some(Shape::Point { x: 15.0 * 4.0 }));
        assert_eq!(layout.today_x, Some(19.0 * 4.0));
    }

    #[test]
    fn the_scale_covers_every_date_with_a_period_to_spare() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().collect();
        let month = lay(
            &refs,
            Grouping::Team,
            Zoom::Month,
            Some(day("2026-01-20")),
            false,
        );
        let labels: Vec<&str> = month.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["Jan 2026", "Feb", "Mar", "Apr"]);
        assert_eq!(
            month.width,
            (day("2026-05-01") - day("2026-01-01")).num_days() as f64 * 4.0
        );

        let quarter = lay(
            &refs,
            Grouping::Team,
            Zoom::Quarter,
            Some(day("2025-11-02")),
            false,
        );
        let labels: Vec<&str> = quarter.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(
            labels,
            vec!["Q4 2025", "Q1 2026", "Q2 2026"],
            "today pulls the scale back"
        );
        assert!(quarter.ticks[1].year_start);
    }

    #[test]
    fn arrows_join_a_dependency_end_to_its_dependent_start_when_asked() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().collect();
        let without = lay(&refs, Grouping::Team, Zoom::Month, None, false);
        assert!(without.arrows.is_empty());
        let with = lay(&refs, Grouping::Team, Zoom::Month, None, true);
        assert_eq!(with.arrows.len(), 1);
        let arrow = &with.arrows[0];
        assert_eq!(
            (refs[arrow.from].id.as_str(), refs[arrow.to].id.as_str()),
            ("pay-1", "pay-2")
        );
        // pay-1 (row 2, a diamond on Jan 16) -> pay-2 (row 1, a bar from Jan 5).
        assert!(arrow.path.starts_with("M67 80 C"), "{}", arrow.path);
        assert!(arrow.path.ends_with(" 16 48"), "{}", arrow.path);
    }

    #[test]
    fn a_dependency_filtered_out_draws_no_arrow() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().filter(|m| m.id != "pay-1").collect();
        assert!(
            lay(&refs, Grouping::Team, Zoom::Month, None, true)
                .arrows
                .is_empty()
        );
    }

    #[test]
    fn only_rows_near_the_scrolled_window_are_drawn() {
        // 100 rows of 32 px; the window shows rows 10..20 (320..640 px).
        assert_eq!(rows_in_view(100, 320.0, 320.0, 64.0), 8..22);
        assert_eq!(rows_in_view(100, 0.0, 600.0, 320.0), 0..29);
        assert_eq!(
            rows_in_view(5, 0.0, 600.0, 320.0),
            0..5,
            "never past the last row"
        );
        assert_eq!(rows_in_view(100, 5000.0, 600.0, 0.0), 100..100);
    }

    #[test]
    fn a_row_keeps_its_key_when_a_filter_moves_it() {
        let sample = sample();
        let all: Vec<&Milestone> = sample.iter().collect();
        let all_rows = lay(&all, Grouping::Team, Zoom::Month, None, false);
        // Without pay-2, pay-1 moves up a row and becomes the slice's first item.
        let kept: Vec<usize> = (0..sample.len())
            .filter(|&i| sample[i].id != "pay-2")
            .collect();
        let some: Vec<&Milestone> = kept.iter().map(|&i| &sample[i]).collect();
        let some_rows = lay(&some, Grouping::Team, Zoom::Month, None, false);
        let key_and_y = |rows: Vec<(RowKey, Row)>, key: &RowKey| {
            rows.into_iter()
                .find(|(k, _)| k == key)
                .map(|(_, row)| row.y())
        };
        let pay_1 = RowKey::Milestone(1);
        let before = key_and_y(all_rows.keyed_rows(0..usize::MAX, |i| i), &pay_1);
        let after = key_and_y(some_rows.keyed_rows(0..usize::MAX, |i| kept[i]), &pay_1);
        assert_eq!(before, Some(2.0 * ROW_HEIGHT));
        assert_eq!(after, Some(ROW_HEIGHT), "the same row, one place up");
        let payments = RowKey::Group("payments".into());
        assert_eq!(
            key_and_y(some_rows.keyed_rows(0..1, |i| kept[i]), &payments),
            Some(0.0)
        );
        assert!(
            some_rows
                .keyed_rows(0..usize::MAX, |i| kept[i])
                .iter()
                .all(|(key, _)| *key != RowKey::Milestone(0)),
            "pay-2 is filtered out"
        );
    }

    #[test]
    fn keyed_rows_are_the_rows_in_range_in_order() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().collect();
        let layout = lay(&refs, Grouping::Team, Zoom::Month, None, false);
        let keyed = layout.keyed_rows(1..3, |i| i + 100);
        assert_eq!(
            keyed,
            vec![
                (RowKey::Milestone(100), layout.rows[1].clone()),
                (RowKey::Milestone(101), layout.rows[2].clone()),
            ]
        );
        assert!(layout.keyed_rows(50..60, |i| i).is_empty());
    }

    #[test]
    fn the_scale_ignores_which_rows_are_shown() {
        let sample = sample();
        let all: Vec<&Milestone> = sample.iter().collect();
        let today = Some(day("2026-01-20"));
        let full = lay(&all, Grouping::Team, Zoom::Month, today, false);
        // pay-1 lies inside the range the others span: dropping it keeps the scale.
        let some: Vec<&Milestone> = sample.iter().filter(|m| m.id != "pay-1").collect();
        let fewer = lay(&some, Grouping::Team, Zoom::Month, today, false);
        assert_ne!(full.rows, fewer.rows);
        assert_eq!(full.scale(), fewer.scale());
        // sec (March) sets the end: dropping it narrows the scale.
        let early: Vec<&Milestone> = sample.iter().filter(|m| m.id != "sec").collect();
        let narrower = lay(&early, Grouping::Team, Zoom::Month, today, false);
        assert!(narrower.scale().width < full.scale().width);
    }

    #[test]
    fn markers_sit_on_the_scale() {
        let marker = Marker {
            title: "Kick-off".into(),
            date: day("2026-02-02"),
            description: None,
            document: "x.yml".into(),
            line: 3,
        };
        let layout = layout(
            &[],
            Groups {
                grouping: Grouping::Team,
                teams: &TeamNames::default(),
                team: None,
            },
            Zoom::Month,
            None,
            &[marker],
            false,
        );
        assert_eq!(layout.origin, day("2026-02-01"));
        assert_eq!(layout.markers[0].x, 4.0);
        assert!(layout.rows.is_empty());
    }

    #[test]
    fn a_milestone_is_found_on_its_row_and_an_undated_one_is_not() {
        let sample = sample();
        let refs: Vec<&Milestone> = sample.iter().collect();
        let layout = lay(&refs, Grouping::Team, Zoom::Month, None, false);
        let by_id = |id: &str| layout.find_mark(|i| refs[i].id == id);
        // "sec" is the fourth row, under its team's heading.
        let Some((shape, y)) = by_id("sec") else {
            panic!("sec is not on the chart: {:?}", layout.rows);
        };
        assert_eq!(y, 4.0 * ROW_HEIGHT);
        let days = (day("2026-03-31") - layout.origin).num_days() as f64;
        let target = days * Zoom::Month.px_per_day();
        assert_eq!(shape, Shape::Point { x: target });
        assert_eq!(by_id("tbd"), None, "undated milestones are listed beside");
        assert_eq!(by_id("nobody"), None);
    }

    #[test]
    fn a_marker_label_keeps_clear_of_the_today_flag() {
        let title = "Relevance review"; // 16 characters, at most 96 px
        let today = 500.0;
        // The flag with its gap, and a label's span as drawn.
        let flag = (today - TODAY_FLAG_HALF - 4.0, today + TODAY_FLAG_HALF + 4.0);
        let span = |label: Label| {
            let width = 16.0 * LABEL_CHAR_WIDTH;
            if label.end {
                (label.x - width, label.x)
            } else {
                (label.x, label.x + width)
            }
        };
        let clear = |label: Label| {
            let (from, to) = span(label);
            to <= flag.0 || from >= flag.1
        };
        // Far from today, or with no today: right of its line.
        let far = Label {
            x: 104.0,
            end: false,
        };
        assert_eq!(marker_label(100.0, title, Some(today)), far);
        assert_eq!(marker_label(100.0, title, None), far);
        // A week or two before today: left of its line.
        let before = marker_label(today - 40.0, title, Some(today));
        assert_eq!(
            before,
            Label {
                x: today - 44.0,
                end: true
            }
        );
        assert!(clear(before));
        // Just after today: both sides of its line are under the flag, so it
        // starts right after the flag.
        let after = marker_label(today + 8.0, title, Some(today));
        assert_eq!(
            after,
            Label {
                x: flag.1,
                end: false
            }
        );
        assert!(clear(after));
        // Before today but too near the chart's start for the left side.
        let early = marker_label(30.0, title, Some(70.0));
        assert_eq!(
            early,
            Label {
                x: 70.0 + TODAY_FLAG_HALF + 4.0,
                end: false
            }
        );
    }

    /// The chart opened at [`opening`] for `view` pixels, and which of
    /// `milestones` (by id) have some of their mark in view.
    fn opened(
        milestones: &[Milestone],
        today: Option<&str>,
        view: f64,
    ) -> (Layout, f64, Vec<String>) {
        let refs: Vec<&Milestone> = milestones.iter().collect();
        let layout = lay(&refs, Grouping::Team, Zoom::Month, today.map(day), false);
        let open = |i: usize| refs[i].status.is_open();
        let opening = opening(&layout, open, view);
        let from = opening.from;
        let shown: Vec<String> = layout
            .rows
            .iter()
            .filter_map(|row| match row {
                Row::Milestone { index, shape, .. }
                    if OutOfView::of(*shape, from, view).is_none() =>
                {
                    Some(refs[*index].id.clone())
                }
                _ => None,
            })
            .collect();
        let open_shown = shown
            .iter()
            .filter(|id| refs.iter().any(|m| &m.id == *id && m.status.is_open()))
            .count();
        assert_eq!(opening.shown, open_shown, "open marks counted in view");
        (layout, from, shown)
    }

    /// `sample` read on 2026-01-20 for a chart `view` pixels wide: the zoom
    /// it opens on, and how many open milestones show by month and by
    /// quarter (each opened as [`opening`] places it).
    fn zoom_for(sample: &[Milestone], view: f64) -> (Zoom, usize, usize) {
        let refs: Vec<&Milestone> = sample.iter().collect();
        let today = Some(day("2026-01-20"));
        let open = |i: usize| refs[i].status.is_open();
        let months = lay(&refs, Grouping::Team, Zoom::Month, today, false);
        let quarters = || lay(&refs, Grouping::Team, Zoom::Quarter, today, false);
        let zoom = opening_zoom(&months, quarters, open, view);
        let by_month = opening(&months, open, view);
        let by_quarter = opening(&quarters(), open, view);
        assert_eq!(by_month.open, by_quarter.open);
        (zoom, by_month.shown, by_quarter.shown)
    }

    #[test]
    fn the_chart_opens_by_quarter_when_months_cannot_show_what_is_open() {
        // Overdue since September and due at the end of June: about 1,150 px
        // apart by month, 430 px by quarter.
        let sample = [
            milestone("late", Status::Overdue, Some("2025-09-15")),
            milestone("next", Status::OnTrack, Some("2026-02-10")),
            milestone("summer", Status::OnTrack, Some("2026-06-30")),
            milestone("shipped", Status::Done, Some("2024-03-01")),
        ];
        let (zoom, by_month, by_quarter) = zoom_for(&sample, 700.0);
        assert_eq!((zoom, by_quarter), (Zoom::Quarter, 3));
        assert!(by_month < 3, "{by_month} shown by month");
        // With room for all of them by month, months it is, and the quarters
        // are not even laid out.
        assert_eq!(zoom_for(&sample, 3000.0), (Zoom::Month, 3, 3));
        let refs: Vec<&Milestone> = sample.iter().collect();
        let months = lay(
            &refs,
            Grouping::Team,
            Zoom::Month,
            Some(day("2026-01-20")),
            false,
        );
        let wide = opening_zoom(
            &months,
            || panic!("quarters laid out though months show everything"),
            |i| refs[i].status.is_open(),
            3000.0,
        );
        assert_eq!(wide, Zoom::Month);
    }

    #[test]
    fn months_stay_when_quarters_would_show_no_more() {
        // Overdue for four years: by quarter as out of reach as by month.
        let sample = [
            milestone("ancient", Status::Overdue, Some("2022-01-10")),
            milestone("next", Status::OnTrack, Some("2026-02-10")),
        ];
        assert_eq!(zoom_for(&sample, 700.0), (Zoom::Month, 1, 1));
    }

    fn today_in_view(layout: &Layout, from: f64, view: f64) -> bool {
        layout
            .today_x
            .is_some_and(|x| x >= from + EDGE_ROOM - 0.5 && x <= from + view - EDGE_ROOM + 0.5)
    }

    #[test]
    fn with_nothing_overdue_the_chart_opens_on_today_and_the_months_ahead() {
        let sample = vec![
            milestone("shipped", Status::Done, Some("2026-01-10")),
            milestone("soon", Status::DueSoon, Some("2026-03-25")),
            milestone("next", Status::OnTrack, Some("2026-04-30")),
        ];
        let (layout, from, shown) = opened(&sample, Some("2026-03-15"), 400.0);
        let today = layout.today_x.unwrap_or_default();
        assert_eq!(from, today - TODAY_FROM_LEFT);
        assert_eq!(shown, ["soon", "next"]);
    }

    #[test]
    fn overdue_milestones_months_back_are_brought_into_view_beside_today() {
        let sample = vec![
            milestone("late", Status::Overdue, Some("2025-09-15")),
            milestone("later", Status::Overdue, Some("2025-10-20")),
            milestone("old-done", Status::Done, Some("2025-03-01")),
            milestone("next", Status::OnTrack, Some("2026-02-10")),
        ];
        let view = 700.0;
        let (layout, from, shown) = opened(&sample, Some("2026-01-20"), view);
        assert!(
            today_in_view(&layout, from, view),
            "today at {:?}, window from {from}",
            layout.today_x
        );
        assert_eq!(shown, ["late", "later", "next"], "window from {from}");
        let today = layout.today_x.unwrap_or_default();
        assert!(
            from < today - TODAY_FROM_LEFT,
            "the window moved back: {from}"
        );
    }

    #[test]
    fn overdue_milestones_too_far_back_leave_today_at_the_right_and_show_what_fits() {
        let sample = vec![
            milestone("ancient", Status::Overdue, Some("2024-06-01")),
            milestone("recent", Status::Overdue, Some("2025-12-01")),
            milestone("next", Status::OnTrack, Some("2026-02-10")),
        ];
        let view = 700.0;
        let (layout, from, shown) = opened(&sample, Some("2026-01-20"), view);
        assert!(today_in_view(&layout, from, view));
        assert_eq!(shown, ["recent", "next"]);
        // With more room the old one fits as well.
        let (layout, from, shown) = opened(&sample, Some("2026-01-20"), 3000.0);
        assert!(today_in_view(&layout, from, 3000.0));
        assert_eq!(shown, ["ancient", "recent", "next"]);
    }

    #[test]
    fn finished_milestones_do_not_pull_the_chart_back() {
        let sample = vec![
            milestone("shipped", Status::Done, Some("2025-06-01")),
            milestone("dropped", Status::Cancelled, Some("2025-07-01")),
            milestone("next", Status::OnTrack, Some("2026-02-10")),
        ];
        let (layout, from, shown) = opened(&sample, Some("2026-01-20"), 300.0);
        assert_eq!(from, layout.today_x.unwrap_or_default() - TODAY_FROM_LEFT);
        assert_eq!(shown, ["next"]);
    }

    #[test]
    fn without_today_the_chart_opens_on_the_earliest_open_milestones() {
        let sample = vec![
            milestone("shipped", Status::Done, Some("2024-01-10")),
            milestone("a", Status::OnTrack, Some("2025-03-10")),
            milestone("b", Status::OnTrack, Some("2025-04-10")),
        ];
        let (layout, from, shown) = opened(&sample, None, 700.0);
        assert_eq!(layout.today_x, None);
        assert_eq!(shown, ["a", "b"]);
        assert!(
            from > 0.0,
            "the done milestone a year earlier is not what opens: {from}"
        );
    }

    #[test]
    fn the_opening_scroll_stays_within_the_chart() {
        let (_, from, _) = opened(&sample(), Some("2026-01-02"), 700.0);
        assert!(from >= 0.0);
        let (layout, from, _) = opened(&sample(), Some("2026-01-20"), 100_000.0);
        assert_eq!(
            from, 0.0,
            "a view wider than the chart ({}) does not scroll",
            layout.width
        );
    }

    #[test]
    fn a_mark_brought_into_view_shows_with_room_at_the_edge_it_came_from() {
        let view = 300.0;
        let before = Shape::Point { x: 100.0 };
        let after = Shape::Bar {
            x: 900.0,
            width: 500.0,
        };
        let from = 500.0;
        let to = OutOfView::bring_into_view(before, from, view);
        assert_eq!(to, Some(100.0 - POINT_RADIUS - EDGE_ROOM));
        let to = OutOfView::bring_into_view(after, from, view).unwrap_or_default();
        assert_eq!(OutOfView::of(after, to, view), None);
        assert_eq!(
            to + view - after.right(),
            EDGE_ROOM,
            "its end shows, room to spare"
        );
        // Nothing moves for a mark already in view, even in part.
        assert_eq!(OutOfView::bring_into_view(after, 700.0, view), None);
        // Never before the chart's start.
        assert_eq!(
            OutOfView::bring_into_view(Shape::Point { x: 10.0 }, 200.0, view),
            Some(0.0)
        );
    }

    #[test]
    fn a_row_brought_into_view_shows_whole() {
        let height = 5.0 * ROW_HEIGHT;
        assert_eq!(row_into_view(2.0 * ROW_HEIGHT, 0.0, height), None);
        assert_eq!(row_into_view(0.0, 3.0 * ROW_HEIGHT, height), Some(0.0));
        // A row below the box ends at its bottom edge.
        assert_eq!(
            row_into_view(9.0 * ROW_HEIGHT, 0.0, height),
            Some(5.0 * ROW_HEIGHT)
        );
        // Half a row cut off at the bottom counts as out of view.
        assert_eq!(
            row_into_view(4.5 * ROW_HEIGHT, 0.0, height),
            Some(0.5 * ROW_HEIGHT)
        );
    }

    #[test]
    fn a_mark_out_of_view_says_which_side_it_is_on() {
        let point = Shape::Point { x: 100.0 };
        let bar = Shape::Bar {
            x: 100.0,
            width: 200.0,
        };
        assert_eq!(OutOfView::of(point, 200.0, 300.0), Some(OutOfView::Before));
        assert_eq!(OutOfView::of(point, 0.0, 50.0), Some(OutOfView::After));
        assert_eq!(OutOfView::of(point, 0.0, 300.0), None);
        // A bar partly in view is in view, at either end.
        assert_eq!(OutOfView::of(bar, 250.0, 300.0), None);
        assert_eq!(OutOfView::of(bar, 0.0, 150.0), None);
        assert_eq!(OutOfView::of(bar, 301.0, 300.0), Some(OutOfView::Before));
    }
}
