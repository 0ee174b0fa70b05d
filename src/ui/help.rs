//! The Help window: the core's help pages rendered from Markdown, with
//! the list of pages, a search across all of them, Back, and links
//! between pages. F1 opens the page of the view in front; it floats
//! beside the console so the page can be read while working.

use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use crate::core::help;

fn request_id() -> egui::Id {
    egui::Id::unique("help-requested")
}

/// Asks for the help page of the view in front (a column header's
/// context menu does, where the view has no access to the app).
pub fn request(ctx: &egui::Context) {
    ctx.data_mut(|d| d.insert_temp(request_id(), true));
}

/// Was help asked for since the last call?
pub fn take_request(ctx: &egui::Context) -> bool {
    ctx.data_mut(|d| d.remove_temp::<bool>(request_id())).unwrap_or(false)
}

/// Tab or Shift+Tab pressed this frame: `Some(true)` forwards.
fn tab_pressed(ctx: &egui::Context) -> Option<bool> {
    ctx.input(|i| {
        i.events.iter().rev().find_map(|e| match e {
            egui::Event::Key {
                key: egui::Key::Tab,
                pressed: true,
                modifiers,
                ..
            } if !modifiers.any() || modifiers.shift_only() => Some(!modifiers.shift),
            _ => None,
        })
    })
}

/// While Help is in front, Tab and Shift+Tab cycle through its own
/// widgets (egui's Tab goes on in drawing order, to the menu bar and the
/// navigation behind). The focused widget holds Tab (egui then leaves it
/// alone), and this frame's Tab moves to the next or previous of Help's
/// widgets, round from the last to the first.
fn keep_tab_within(ctx: &egui::Context, layer: egui::LayerId, before: Option<egui::Id>, tab: Option<bool>) {
    let ids: Vec<egui::Id> = ctx.viewport(|v| {
        v.this_pass
            .widgets
            .get_layer(layer)
            .filter(|w| w.enabled && w.sense.is_focusable())
            .map(|w| w.id)
            .collect()
    });
    if let Some(forward) = tab
        && !ids.is_empty()
    {
        let n = ids.len();
        let at = before.and_then(|b| ids.iter().position(|id| *id == b));
        let next = match (at, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => 0,
            (None, false) => n - 1,
        };
        ctx.memory_mut(|m| {
            m.move_focus(egui::FocusDirection::None);
            m.request_focus(ids[next]);
            // Takes back a Tab egui passed on to the next widget drawn
            // (the first of the next frame, behind Help).
            m.interested_in_focus(ids[next], layer);
        });
    }
    let focused = ctx.memory(egui::Memory::focused);
    if let Some(id) = focused.filter(|id| ids.contains(id)) {
        let text = ctx.text_edit_focused();
        ctx.memory_mut(|m| {
            m.set_focus_lock_filter(
                id,
                egui::EventFilter {
                    tab: true,
                    horizontal_arrows: text,
                    ..Default::default()
                },
            );
        });
    }
}

pub struct HelpWindow {
    pub open: bool,
    /// The page shown.
    pub page: &'static str,
    back: Vec<&'static str>,
    pub search: String,
    cache: CommonMarkCache,
    /// A page opened since the last frame: its scroll starts at the top.
    moved: bool,
    /// In front of the console, Help owns the keyboard.
    keys: crate::ui::front::KeyOwner,
    /// Opened or brought to the front: the Search field takes the focus
    /// (the words typed next are a search, not keys for the console).
    focus_search: bool,
    /// What had the focus before Help took it: it gets it back when Help
    /// closes.
    return_focus: Option<egui::Id>,
    /// The window's layer, as last drawn.
    layer: Option<egui::LayerId>,
}

impl Default for HelpWindow {
    fn default() -> Self {
        let mut cache = CommonMarkCache::default();
        // Links between pages are followed here, not handed to a browser.
        for p in help::pages() {
            cache.add_link_hook(format!("{}.md", p.slug));
        }
        HelpWindow {
            open: false,
            page: help::CONTENTS,
            back: Vec::new(),
            search: String::new(),
            cache,
            moved: false,
            keys: crate::ui::front::KeyOwner::default(),
            focus_search: false,
            return_focus: None,
            layer: None,
        }
    }
}

impl HelpWindow {
    /// Opens the window at the page called `slug` (the contents page when
    /// there is none by that name).
    pub fn show_page(&mut self, slug: &str) {
        let page = help::page(slug).map_or(help::CONTENTS, |p| p.slug);
        if self.open && page != self.page {
            self.back.push(self.page);
        }
        self.page = page;
        self.open = true;
        self.moved = true;
        self.keys.bring_to_front();
        self.focus_search = true;
    }

    /// Is Help open and in front (its keys are not the console's)?
    pub fn owns_keyboard(&self) -> bool {
        self.open && self.keys.owns()
    }

    fn go(&mut self, slug: &'static str) {
        if slug != self.page {
            self.back.push(self.page);
            self.page = slug;
            self.moved = true;
        }
    }

    /// Draws the window; `in_front`: no dialog is open over it (then
    /// Escape is the dialog's).
    pub fn ui(&mut self, ctx: &egui::Context, in_front: bool) {
        if !self.open {
            self.keys.track(ctx, None);
            return;
        }
        // Just opened (not drawn yet): in front.
        let owned = self.keys.owns() || !self.keys.shown();
        let keys = owned && in_front;
        let focus_before = ctx.memory(egui::Memory::focused);
        let in_help = |id: egui::Id| self.layer.is_some() && ctx.read_response(id).map(|r| r.layer_id) == self.layer;
        if self.focus_search
            && let Some(before) = focus_before.filter(|id| !in_help(*id))
        {
            self.return_focus = Some(before);
        }
        let tab = if keys { tab_pressed(ctx) } else { None };
        let mut open = true;
        let screen = ctx.content_rect();
        let shown = egui::Window::new("Help")
            .id(egui::Id::unique("help-window"))
            .open(&mut open)
            .resizable(true)
            .collapsible(false)
            .default_size(egui::vec2(
                (screen.width() * 0.6).clamp(360.0, 820.0),
                (screen.height() * 0.75).clamp(300.0, 760.0),
            ))
            .max_size(screen.size() - egui::vec2(16.0, 16.0))
            // At the right, over the wide end of the tables: the view's
            // navigation and first columns stay in sight.
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(screen.right_top() + egui::vec2(-12.0, 40.0))
            .constrain(true)
            .show(ctx, |ui| self.contents(ui));
        // Escape closes Help when it is in front (not a dialog over it, not
        // the console clicked since), from the Search field too.
        if keys && ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            open = false;
        }
        self.layer = shown.as_ref().map(|r| r.response.layer_id);
        if open
            && keys
            && let Some(layer) = self.layer
        {
            keep_tab_within(ctx, layer, focus_before, tab);
        }
        if !open && let Some(back) = self.return_focus.take() {
            // Closed: the focus goes back to where it was before Help.
            ctx.memory_mut(|m| m.request_focus(back));
        }
        self.open = open;
        self.keys.track(ctx, shown.filter(|_| open).map(|r| r.response.rect));
    }

    fn contents(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(!self.back.is_empty(), egui::Button::new("Back"))
                .clicked()
                && let Some(p) = self.back.pop()
            {
                self.page = p;
                self.moved = true;
            }
            if ui.button("Contents").clicked() {
                self.go(help::CONTENTS);
            }
            if ui.button("Warnings").clicked() {
                self.go(help::WARNINGS);
            }
            let label = ui.label("Search:");
            let search = crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(&mut self.search)
                    .desired_width(200.0)
                    .hint_text("words to find"),
            )
            .labelled_by(label.id);
            if std::mem::take(&mut self.focus_search) {
                search.request_focus();
            }
            if !self.search.is_empty() && ui.button("Clear").clicked() {
                self.search.clear();
            }
        });
        ui.separator();
        egui::Panel::left("help-pages")
            .resizable(true)
            .default_size(190.0)
            .show(ui, |ui| self.page_list(ui));
        egui::CentralPanel::default().show(ui, |ui| self.page_text(ui));
    }

    /// All pages, or the pages matching the search with their matching line.
    fn page_list(&mut self, ui: &mut egui::Ui) {
        let mut chosen = None;
        egui::ScrollArea::vertical().id_salt("help-page-list").show(ui, |ui| {
            if self.search.trim().is_empty() {
                for p in help::pages() {
                    if ui.selectable_label(p.slug == self.page, p.title.as_str()).clicked() {
                        chosen = Some(p.slug);
                    }
                }
            } else {
                let hits = help::search(&self.search);
                if hits.is_empty() {
                    ui.label("No page has all these words.");
                }
                for hit in hits {
                    let r = ui.selectable_label(hit.slug == self.page, hit.title.as_str());
                    ui.add(egui::Label::new(egui::RichText::new(&hit.excerpt).small().weak()).wrap());
                    if r.clicked() {
                        chosen = Some(hit.slug);
                    }
                    ui.add_space(4.0);
                }
            }
        });
        if let Some(slug) = chosen {
            self.go(slug);
        }
    }

    fn page_text(&mut self, ui: &mut egui::Ui) {
        let Some(page) = help::page(self.page) else { return };
        let mut area = egui::ScrollArea::vertical().id_salt(("help-page", page.slug));
        if std::mem::take(&mut self.moved) {
            area = area.vertical_scroll_offset(0.0);
        }
        area.show(ui, |ui| {
            CommonMarkViewer::new().show(ui, &mut self.cache, &page.screen);
        });
        // A link to another page, clicked while drawing.
        let clicked: Option<String> = self
            .cache
            .link_hooks()
            .iter()
            .find(|(_, clicked)| **clicked)
            .map(|(name, _)| name.clone());
        if let Some(name) = clicked {
            if let Some(p) = help::page(&name) {
                self.go(p.slug);
            }
            for v in self.cache.link_hooks_mut().values_mut() {
                *v = false;
            }
        }
    }
}
