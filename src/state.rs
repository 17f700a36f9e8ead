//! The widget's state machine: [`State`], the [`Action`]s that change it and [`State::apply`].
//!
//! Plain Rust, tested natively; the Yew reducer in `ui::app` is a one-line adapter over `apply`. Results and
//! counts are not state: they are derived from `filter` by the index.

use crate::filter::{Facet, Filter, Presence, SortKey, TerritorySel};
use crate::i18n::Msg;
use crate::url_state::{MapPos, UrlState};

/// What the visitor sees, apart from the data.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct State {
    pub filter: Filter,
    /// The innovation whose detail is open (its id).
    pub open: Option<String>,
    /// Current page of the result list (0-based).
    pub page: usize,
    /// The list item to focus after the detail view closes.
    pub return_focus: Option<String>,
    /// Whether the filter panel is unfolded on narrow screens.
    pub filters_open: bool,
    /// The innovation pointed at in the list or on the map (hover or focus), highlighted in the other: its record
    /// index (never in the URL; the first records keep their index when the whole dataset replaces them).
    pub highlight: Option<usize>,
    /// What narrow screens show: the list or the map (wide screens show both), or the synthesis (every screen).
    pub view: View,
    /// A select has the focus: its changes (arrow keys) make one history entry for the whole interaction.
    pub select_focus: bool,
    /// The map's zoom and centre when the visitor moved it (in the URL); `None`: the view the filters imply.
    pub map: Option<MapPos>,
    /// The synthesis' minimum age of a stalled innovation, in years (0: the default,
    /// [`crate::synthesis::STALLED_YEARS`]).
    pub stalled_years: u32,
    /// The export bar's last copy: `Some(None)` done; `Some(Some((cite, text)))` refused, with the text to copy by
    /// hand (`cite`: the citation, else the link).
    pub copied: Option<Option<(bool, String)>>,
    /// The « Autour de » field: its text while the visitor types in it (`None`: the chosen commune's name), the
    /// radius chosen before a place (0: [`crate::filter::Around::DEFAULT_KM`]), and what « Autour de moi » has to say.
    pub around: (Option<String>, u16, Option<Msg>),
    /// The visitor is typing in the search box: the list follows each keystroke, the live region waits for a pause
    /// (`Action::Type(text, false)`) so that a screen reader says the count once, not once a letter.
    pub typing: bool,
}

/// The view switch: list or map on narrow screens (wide screens show both), or the synthesis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    List,
    Map,
    /// The « Synthèse » view (in the URL).
    Synthesis,
}

/// Everything the interface can ask for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    SetTerritory(Option<TerritorySel>),
    Toggle(Facet, String),
    /// Adds or removes a presence class of the chosen territory.
    TogglePresence(Presence),
    /// A cell of the synthesis' territory × stage table: that territory and that stage only, shown in the list.
    ShowCell(TerritorySel, String),
    /// The synthesis' minimum age of a stalled innovation.
    SetStalledYears(u32),
    /// What a copy of the export bar gave (see [`State::copied`]).
    Copied(Option<(bool, String)>),
    SetText(String),
    /// The search box's text: typed (`true`, [`Action::SetText`] while [`State::typing`]), or the text when the
    /// typing paused (`false`: the end of [`State::typing`] unless the text changed since).
    Type(String, bool),
    SetSort(SortKey),
    ClearFilters,
    Open(String),
    Close,
    SetPage(usize),
    ToggleFilterPanel,
    /// The list has put focus back where `return_focus` said.
    FocusReturned,
    Highlight(Option<usize>),
    SetView(View),
    /// The « Autour de » field's text, radius and note ([`State::around`]).
    AroundField(Option<String>, u16, Option<Msg>),
    /// A select gains or loses the focus.
    SelectFocus(bool),
    /// « Voir les N résultats »: the filter panel closes and the list is shown.
    ShowResults,
    /// The map moved (`None`: back to the view the filters imply).
    SetMapPos(Option<MapPos>),
    /// Back/forward or a shared link: take the state the URL describes.
    Restore(UrlState),
    /// A new widget instance (the embed boundary reuses apps): start again from the state the URL describes.
    Reset(UrlState),
}

impl State {
    pub fn from_url(url: UrlState) -> State {
        let mut s = State::default();
        s.apply(Action::Restore(url));
        s
    }

    pub fn apply(&mut self, action: Action) {
        // Any other action ends the typing (a filter's count is announced at once).
        let typing = std::mem::take(&mut self.typing);
        match action {
            Action::SetTerritory(t) => {
                if t.is_none() {
                    self.filter.presence.clear();
                }
                // A radius comes with the nearest first; the distance order goes with it.
                match (&t, &self.filter.territory) {
                    (Some(TerritorySel::Around(_)), Some(TerritorySel::Around(_))) => {}
                    (Some(TerritorySel::Around(_)), _) => self.filter.sort = SortKey::Distance,
                    _ if self.filter.sort == SortKey::Distance => self.filter.sort = SortKey::Name,
                    _ => {}
                }
                self.filter.territory = t;
                self.page = 0;
                // The « Autour de » field shows the place chosen (its name, or nothing).
                self.around = (None, self.around.1, None);
            }
            Action::TogglePresence(p) => {
                self.filter.toggle_presence(p);
                self.page = 0;
            }
            Action::ShowCell(territory, stage) => {
                self.filter.territory = Some(territory);
                self.filter.presence.clear();
                *self.filter.facet_mut(Facet::Stages) = vec![stage];
                self.page = 0;
                self.open = None;
                self.view = View::List;
            }
            Action::SetStalledYears(years) => self.stalled_years = years,
            Action::Copied(c) => self.copied = Some(c),
            Action::Toggle(facet, id) => {
                self.filter.toggle(facet, &id);
                self.page = 0;
            }
            Action::Type(text, key) => {
                self.typing = key || typing && text != self.filter.text;
                if key {
                    self.filter.text = text;
                    self.page = 0;
                }
            }
            Action::SetText(text) => {
                self.filter.text = text;
                self.page = 0;
            }
            Action::SetSort(sort) => {
                self.filter.sort = sort;
                self.page = 0;
            }
            Action::ClearFilters => {
                let sort = Some(self.filter.sort).filter(|&s| s != SortKey::Distance).unwrap_or_default();
                self.filter = Filter { sort, ..Filter::default() };
                self.page = 0;
            }
            Action::Open(id) => {
                self.return_focus = None;
                self.open = Some(id);
                // On narrow screens the detail is shown where the list is.
                self.view = View::List;
            }
            Action::Close => {
                self.return_focus = self.open.take();
            }
            Action::SetPage(page) => self.page = page,
            Action::ToggleFilterPanel => self.filters_open = !self.filters_open,
            Action::FocusReturned => self.return_focus = None,
            // A pointer over the list, which changes under it as the visitor types, does not end the typing.
            Action::Highlight(id) => {
                self.highlight = id;
                self.typing = typing;
            }
            Action::SetView(view) => self.view = view,
            Action::SetMapPos(pos) => self.map = pos,
            Action::SelectFocus(f) => self.select_focus = f,
            Action::AroundField(text, km, note) => self.around = (text, km, note),
            Action::ShowResults => {
                self.filters_open = false;
                self.view = View::List;
            }
            Action::Reset(url) => *self = State::from_url(url),
            Action::Restore(url) => {
                if self.open.is_some() && url.open.is_none() {
                    self.return_focus = self.open.clone();
                }
                self.filter = url.filter;
                self.open = url.open;
                self.page = url.page;
                self.map = url.map;
                self.stalled_years = url.stalled_years;
                if url.synthesis {
                    self.view = View::Synthesis;
                } else if self.view == View::Synthesis {
                    self.view = View::List;
                }
            }
        }
    }

    /// The part of the state that lives in the URL.
    pub fn url_state(&self) -> UrlState {
        UrlState {
            filter: self.filter.clone(),
            open: self.open.clone(),
            page: self.page,
            map: self.map,
            synthesis: self.view == View::Synthesis,
            stalled_years: self.stalled_years,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changing_a_filter_goes_back_to_the_first_page() {
        let mut s = State { page: 3, ..State::default() };
        s.apply(Action::Toggle(Facet::Themes, "habitat".into()));
        assert_eq!(s.page, 0);
        assert_eq!(s.filter.facet(Facet::Themes), ["habitat"]);
        s.apply(Action::Toggle(Facet::Themes, "habitat".into()));
        assert!(s.filter.is_empty());
    }

    #[test]
    fn clearing_filters_keeps_the_sort_order() {
        let mut s = State::default();
        s.apply(Action::SetSort(SortKey::Stage));
        s.apply(Action::SetText("café".into()));
        s.apply(Action::SetTerritory(Some(TerritorySel::Region("53".into()))));
        s.apply(Action::ClearFilters);
        assert!(s.filter.is_empty());
        assert_eq!(s.filter.sort, SortKey::Stage);
    }

    #[test]
    fn typing_lasts_until_a_pause_with_the_last_text_or_another_action() {
        let mut s = State { page: 2, ..State::default() };
        s.apply(Action::Type("so".into(), true));
        s.apply(Action::Type("sol".into(), true));
        assert_eq!((s.filter.text.as_str(), s.page, s.typing), ("sol", 0, true));
        // The pause after « so » came while the visitor still typed; a pointer over the list changes nothing.
        s.apply(Action::Type("so".into(), false));
        s.apply(Action::Highlight(Some(1)));
        assert_eq!((s.filter.text.as_str(), s.typing), ("sol", true));
        s.apply(Action::Type("sol".into(), false));
        assert!(!s.typing);
        // A filter changed while typing is announced at once.
        s.apply(Action::Type("soli".into(), true));
        s.apply(Action::Toggle(Facet::Themes, "habitat".into()));
        assert_eq!((s.filter.text.as_str(), s.typing), ("soli", false));
    }

    #[test]
    fn closing_the_detail_remembers_where_to_put_focus_back() {
        let mut s = State::default();
        s.apply(Action::Open("cafe-joyeux".into()));
        assert_eq!(s.open.as_deref(), Some("cafe-joyeux"));
        s.apply(Action::Close);
        assert_eq!(s.open, None);
        assert_eq!(s.return_focus.as_deref(), Some("cafe-joyeux"));
    }

    #[test]
    fn a_synthesis_cell_sets_its_territory_and_stage_and_shows_the_list() {
        let mut s = State { view: View::Synthesis, ..State::default() };
        s.apply(Action::Toggle(Facet::Stages, "amorcage".into()));
        s.apply(Action::ShowCell(TerritorySel::Region("53".into()), "essaimage".into()));
        assert_eq!(s.view, View::List);
        assert_eq!(s.filter.facet(Facet::Stages), ["essaimage"]);
        assert_eq!(s.filter.territory, Some(TerritorySel::Region("53".into())));
        let url = s.url_state();
        assert!(!url.synthesis);
        s.apply(Action::SetView(View::Synthesis));
        assert!(s.url_state().synthesis);
        let mut restored = State::default();
        restored.apply(Action::Restore(s.url_state()));
        assert_eq!(restored.view, View::Synthesis);
    }

    #[test]
    fn going_back_in_history_from_a_detail_also_returns_focus() {
        let mut s = State::default();
        s.apply(Action::Open("envie".into()));
        s.apply(Action::Restore(UrlState::default()));
        assert_eq!(s.open, None);
        assert_eq!(s.return_focus.as_deref(), Some("envie"));
    }
}
