//! Which renderer draws the window, and the fallback when it cannot start.
//!
//! eframe offers two: wgpu (Vulkan, Metal, DirectX 12, or OpenGL ES through
//! wgpu's own GL backend) and glow (OpenGL 2+ directly). We try **wgpu
//! first**: it is eframe's own default, it reaches the GPU through the
//! platform's modern API, and on a machine without a GPU it uses Mesa's
//! lavapipe. glow comes second because it is the one that starts where
//! only an old OpenGL is exposed and wgpu finds no adapter (some VMs). The
//! known failure the other way round, glow under Remote Desktop (egui issue
//! #2573), is why there is a fallback at all: eframe does not fall back by
//! itself, so a second `run_native` follows the first one's error.
//!
//! `--renderer wgpu|glow` or `IA_LICENSING_RENDERER` forces one (no
//! fallback); `IA_LICENSING_RENDERER_FAIL=wgpu|glow` makes that one fail on
//! purpose, to test the fallback.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    Wgpu,
    Glow,
}

pub const ENV_FORCE: &str = "IA_LICENSING_RENDERER";
pub const ENV_FAIL: &str = "IA_LICENSING_RENDERER_FAIL";

impl Renderer {
    pub fn name(self) -> &'static str {
        match self {
            Renderer::Wgpu => "wgpu",
            Renderer::Glow => "glow",
        }
    }

    /// A renderer's name exactly as `--renderer` takes it (`wgpu`, `glow`):
    /// the environment variable and the option accept the same words, so
    /// an alias that works in one place is not refused in the other.
    pub fn parse(s: &str) -> Option<Renderer> {
        [Renderer::Wgpu, Renderer::Glow].into_iter().find(|r| r.name() == s)
    }

    /// The other renderer: the one to suggest when this one fails.
    pub fn other(self) -> Renderer {
        match self {
            Renderer::Wgpu => Renderer::Glow,
            Renderer::Glow => Renderer::Wgpu,
        }
    }

    pub fn eframe(self) -> eframe::Renderer {
        match self {
            Renderer::Wgpu => eframe::Renderer::Wgpu,
            Renderer::Glow => eframe::Renderer::Glow,
        }
    }
}

impl fmt::Display for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The renderers to try, in order: the forced one alone, else wgpu then glow.
pub fn order(forced: Option<Renderer>) -> Vec<Renderer> {
    match forced {
        Some(r) => vec![r],
        None => vec![Renderer::Wgpu, Renderer::Glow],
    }
}

/// What to say when no window opened: with a renderer forced, try the
/// other one (not the one that just failed); with both tried, neither
/// helps, so only the display and the CLI are left to suggest.
pub fn no_window_hint(forced: Option<Renderer>, error: &str) -> String {
    match forced {
        Some(r) => format!(
            "cannot open a window with {r} ({error}); is a display available? Try the other renderer: --renderer {}. \
             The CLI works without one: ia-licensing --help",
            r.other()
        ),
        None => format!(
            "cannot open a window with wgpu or glow ({error}); is a display available? The CLI works without one: \
             ia-licensing --help"
        ),
    }
}

/// A renderer named in the environment variable `var`; an unknown name is
/// reported (not silently ignored) and treated as unset.
pub fn from_env(var: &str) -> Option<Renderer> {
    let value = std::env::var(var).ok()?;
    if value.trim().is_empty() {
        return None;
    }
    let parsed = Renderer::parse(&value);
    if parsed.is_none() {
        eprintln!(
            "ia-licensing: {var}={} is not a renderer (wgpu or glow, as --renderer takes them); ignored",
            crate::core::text::safe(&value)
        );
    }
    parsed
}

/// What drew the window, for Help › About and the log line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RendererNote {
    /// "wgpu (Vulkan, llvmpipe …)" or "glow (OpenGL …)".
    pub used: String,
    /// Why the renderers tried before it did not start.
    pub fallback: Vec<String>,
}

impl RendererNote {
    pub fn describe(&self) -> String {
        if self.fallback.is_empty() {
            format!("Renderer: {}", self.used)
        } else {
            format!("Renderer: {} (after {})", self.used, self.fallback.join("; "))
        }
    }
}

/// The adapter or OpenGL driver behind the renderer that started.
pub fn describe_context(renderer: Renderer, cc: &eframe::CreationContext<'_>) -> String {
    match renderer {
        Renderer::Wgpu => match &cc.wgpu_render_state {
            Some(state) => {
                let info = state.adapter.get_info();
                format!("wgpu ({:?}, {})", info.backend, info.name)
            }
            None => "wgpu".to_string(),
        },
        Renderer::Glow => {
            let version = cc.gl.as_ref().map(|gl| {
                use eframe::glow::HasContext as _;
                let v = gl.version();
                let es = if v.is_embedded { " ES" } else { "" };
                format!("OpenGL{es} {}.{} {}", v.major, v.minor, v.vendor_info)
                    .trim_end()
                    .to_string()
            });
            describe_glow(gl_strings::take(), version)
        }
    }
}

/// "glow (llvmpipe (LLVM 15.0.7, 256 bits), Mesa, OpenGL 4.5 (Core Profile)
/// Mesa 23.2.1)": the OpenGL renderer and vendor, as wgpu names its
/// adapter, and the version; what is not known is left out.
pub fn describe_glow(strings: Option<gl_strings::GlStrings>, version: Option<String>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(s) = strings {
        parts.extend([s.renderer, s.vendor].into_iter().filter(|p| !p.is_empty()));
    }
    parts.extend(version);
    if parts.is_empty() {
        "glow (OpenGL)".to_string()
    } else {
        format!("glow ({})", parts.join(", "))
    }
}

/// The OpenGL driver's renderer and vendor strings. glow reads them only
/// through an unsafe call and this program keeps no unsafe code, but
/// egui_glow logs them (at debug level) when it makes its painter, before
/// the app is made: a `log` listener of our own, on while glow starts,
/// keeps them from that one record and lets everything else pass unseen.
pub mod gl_strings {
    use std::sync::Mutex;

    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct GlStrings {
        pub renderer: String,
        pub vendor: String,
    }

    static SEEN: Mutex<Option<GlStrings>> = Mutex::new(None);

    struct Listener;

    impl log::Log for Listener {
        fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
            metadata.target().starts_with("egui_glow")
        }

        fn log(&self, record: &log::Record<'_>) {
            if !self.enabled(record.metadata()) {
                return;
            }
            if let Some(found) = parse(&record.args().to_string())
                && let Ok(mut seen) = SEEN.lock()
            {
                *seen = Some(found);
            }
        }

        fn flush(&self) {}
    }

    static LISTENER: Listener = Listener;
    /// Is the listener the process's logger (set once, here)?
    static OURS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

    fn ours() -> bool {
        *OURS.get_or_init(|| log::set_logger(&LISTENER).is_ok())
    }

    /// Listens while glow starts (with another logger set first, nothing
    /// is heard, and the note names the OpenGL version alone).
    pub fn listen() {
        if ours() {
            log::set_max_level(log::LevelFilter::Debug);
        }
    }

    /// Stops listening: no record reaches the listener any more.
    pub fn stop() {
        if ours() {
            log::set_max_level(log::LevelFilter::Off);
        }
    }

    /// What was heard, once.
    pub fn take() -> Option<GlStrings> {
        SEEN.lock().ok().and_then(|mut s| s.take())
    }

    /// The strings in egui_glow's record ("opengl renderer: …" and
    /// "opengl vendor: …" lines).
    pub fn parse(text: &str) -> Option<GlStrings> {
        let line = |label: &str| {
            text.lines()
                .find_map(|l| l.trim().strip_prefix(label))
                .map(|v| crate::core::text::safe(v.trim()).to_string())
        };
        let renderer = line("opengl renderer:")?;
        Some(GlStrings {
            renderer,
            vendor: line("opengl vendor:").unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wgpu_first_then_glow_unless_forced() {
        assert_eq!(order(None), vec![Renderer::Wgpu, Renderer::Glow]);
        assert_eq!(order(Some(Renderer::Glow)), vec![Renderer::Glow]);
        assert_eq!(Renderer::parse("glow"), Some(Renderer::Glow));
        assert_eq!(Renderer::parse("wgpu"), Some(Renderer::Wgpu));
        // No alias the option would refuse.
        for other in ["opengl", "GLOW", " glow", "gl", "vulkan", ""] {
            assert_eq!(Renderer::parse(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_failed_forced_renderer_suggests_only_the_other_one() {
        let hint = no_window_hint(Some(Renderer::Wgpu), "no adapter");
        assert!(
            hint.contains("--renderer glow") && !hint.contains("--renderer wgpu"),
            "{hint}"
        );
        let hint = no_window_hint(Some(Renderer::Glow), "no GL");
        assert!(
            hint.contains("--renderer wgpu") && !hint.contains("--renderer glow"),
            "{hint}"
        );
        let hint = no_window_hint(None, "no display");
        assert!(!hint.contains("--renderer"), "{hint}");
    }

    #[test]
    fn glow_is_named_with_its_renderer_vendor_and_version() {
        let record = "\nopengl version: 4.5 (Core Profile) Mesa 23.2.1\nopengl renderer: llvmpipe (LLVM 15.0.7, 256 \
                      bits)\nopengl vendor: Mesa";
        let strings = gl_strings::parse(record);
        assert_eq!(
            describe_glow(strings, Some("OpenGL 4.5 (Core Profile) Mesa 23.2.1".into())),
            "glow (llvmpipe (LLVM 15.0.7, 256 bits), Mesa, OpenGL 4.5 (Core Profile) Mesa 23.2.1)"
        );
        assert_eq!(gl_strings::parse("Shader header: \"#version 140\""), None);
        assert_eq!(describe_glow(None, Some("OpenGL 3.3".into())), "glow (OpenGL 3.3)");
        assert_eq!(describe_glow(None, None), "glow (OpenGL)");
    }

    #[test]
    fn the_note_says_what_was_tried_before() {
        let note = RendererNote {
            used: "glow (OpenGL 4.5)".into(),
            fallback: vec!["wgpu did not start: no adapter".into()],
        };
        assert_eq!(
            note.describe(),
            "Renderer: glow (OpenGL 4.5) (after wgpu did not start: no adapter)"
        );
    }
}
