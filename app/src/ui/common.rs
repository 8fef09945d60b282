//! Pieces both pages use: the status chip, the theme switch, the URL state handle.

use chrono::NaiveDate;
use leptos::prelude::*;
use milepost_shared::{Roadmap, Status};

use crate::query::ViewState;

/// A status as words and colour together (never colour alone).
#[component]
pub fn StatusChip(status: Status) -> impl IntoView {
    view! {
        <span class=format!("chip s-{}", status.as_str())>
            <span class="dot" aria-hidden="true"></span>
            {status.label()}
        </span>
    }
}

/// Puts `data-theme` on `<html>` (`light`/`dark`), or removes it so the
/// stylesheet follows `prefers-color-scheme`.
pub fn apply_theme(theme: Option<&str>) {
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = match theme {
        Some(theme) => root.set_attribute("data-theme", theme),
        None => root.remove_attribute("data-theme"),
    };
}

/// The day statuses were computed for; the browser's date when the server did not say.
pub fn today_of(roadmap: &Roadmap) -> NaiveDate {
    roadmap.today.unwrap_or_else(|| {
        let now = js_sys::Date::new_0();
        NaiveDate::from_ymd_opt(
            now.get_full_year() as i32,
            now.get_month() + 1,
            now.get_date(),
        )
        .unwrap_or_default()
    })
}

/// The leadership view's state and how to change it. On the page it is the
/// URL (through the router); in tests a plain signal stands in.
#[derive(Clone, Copy)]
pub struct UrlState {
    pub state: Signal<ViewState>,
    /// Goes to a new state; `true` replaces the history entry (typing).
    pub go: UnsyncCallback<(ViewState, bool)>,
}

impl UrlState {
    /// Applies `change` to the current state and goes there.
    pub fn update(self, replace: bool, change: impl FnOnce(&mut ViewState)) {
        let mut next = self.state.get_untracked();
        change(&mut next);
        self.go.run((next, replace));
    }

    /// A state held in a signal, for tests and previews.
    pub fn local(initial: ViewState) -> UrlState {
        let signal = RwSignal::new(initial);
        UrlState {
            state: signal.into(),
            go: UnsyncCallback::new(move |(next, _replace): (ViewState, bool)| signal.set(next)),
        }
    }

    /// The link (`/?…`) to this view with `change` applied, for real hrefs.
    pub fn href_with(self, change: impl FnOnce(&mut ViewState)) -> String {
        let mut next = self.state.get_untracked();
        change(&mut next);
        format!("/{}", next.to_query())
    }
}

/// Marks the page as rendered for a load: `data-milepost-loaded` on `<html>`
/// holds the load count, and a `milepost:rendered` performance mark is
/// added, so end-to-end tests and benchmarks can wait for and time it.
pub fn mark_rendered(generation: u64) {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-milepost-loaded", &generation.to_string());
    }
    if let Some(performance) = window().performance() {
        let _ = performance.mark("milepost:rendered");
    }
}
