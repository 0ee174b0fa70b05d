//! What the Debian package installs, checked without building it: the
//! global `--renderer` in every command's help, a bare FILE opening the
//! GUI, the man pages and completions the binary writes for the package,
//! and the desktop entry, MIME types, icons and cargo-deb assets agreeing
//! with each other and with the command line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::Parser;
use ia_licensing::cli::args::OPENABLE_EXTENSIONS;
use ia_licensing::cli::{Action, Cli};

use crate::util::{bin, s};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every command and subcommand under the built tree (globals propagated),
/// with its path ("license show"), clap's own `help` left out.
fn every_command() -> Vec<(String, clap::Command)> {
    fn walk(prefix: &str, cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let path = format!("{prefix} {}", sub.get_name()).trim().to_string();
            out.push((path.clone(), sub.clone()));
            walk(&path, sub, out);
        }
    }
    let mut cmd = ia_licensing::cli::command_tree();
    cmd.build();
    let mut out = Vec::new();
    walk("", &cmd, &mut out);
    out
}

#[test]
fn the_global_renderer_option_shows_in_every_commands_help() {
    let commands = every_command();
    assert!(commands.len() > 30, "the tree: {}", commands.len());
    let missing: Vec<&str> = commands
        .iter()
        .filter(|(_, cmd)| {
            let mut cmd = cmd.clone();
            !cmd.render_help().to_string().contains("--renderer <RENDERER>")
        })
        .map(|(path, _)| path.as_str())
        .collect();
    assert!(missing.is_empty(), "--renderer missing from the help of: {missing:?}");
    // And as the binary prints it.
    let out = bin().args(["check", "--help"]).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("--renderer <RENDERER>"));
}

/// Every argument of every command (the root's too) says what it is in
/// `--help` and the man pages: `report --license` and `check --workspace`
/// had no words at all. clap's own `--help` and `--version` aside.
#[test]
fn every_argument_of_every_command_has_help() {
    let mut root = ia_licensing::cli::command_tree();
    root.build();
    let mut commands = every_command();
    commands.push(("ia-licensing".to_string(), root));
    let mut missing = Vec::new();
    for (path, cmd) in &commands {
        for arg in cmd.get_arguments() {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            if help.trim().is_empty() {
                let name = arg.get_long().map_or_else(|| id.to_uppercase(), |l| format!("--{l}"));
                missing.push(format!("{path} {name}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} arguments without help:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// `IA_LICENSING_RENDERER` takes exactly the words `--renderer` takes:
/// `opengl` was glow by the variable but refused by the option.
#[test]
fn the_renderer_variable_accepts_exactly_what_the_option_accepts() {
    use clap::ValueEnum as _;
    use ia_licensing::cli::RendererArg;
    use ia_licensing::ui::renderer::Renderer;
    for value in [
        "wgpu", "glow", "opengl", "OpenGL", "GLOW", "Wgpu", " glow", "glow ", "gl", "vulkan", "dx12", "",
    ] {
        let by_option = RendererArg::from_str(value, false)
            .ok()
            .map(|r| format!("{r:?}").to_lowercase());
        let by_variable = Renderer::parse(value).map(|r| r.name().to_string());
        assert_eq!(by_option, by_variable, "{value:?}");
    }
    // A word the option refuses is ignored with a warning, not used.
    let out = without_display(&[], Some("opengl"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("IA_LICENSING_RENDERER=opengl is not a renderer"), "{err}");
}

/// The binary with no display at all, so no window can open.
fn without_display(args: &[&str], renderer_variable: Option<&str>) -> std::process::Output {
    let mut cmd = bin();
    cmd.args(args).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    match renderer_variable {
        Some(v) => cmd.env("IA_LICENSING_RENDERER", v),
        None => cmd.env_remove("IA_LICENSING_RENDERER"),
    };
    cmd.env_remove("IA_LICENSING_RENDERER_FAIL").output().expect("run")
}

/// A forced renderer that cannot start suggests the other one only (it
/// said "Try --renderer glow or --renderer wgpu", the failed one too);
/// with both tried, neither.
#[test]
fn a_forced_renderer_that_fails_suggests_only_the_other() {
    for (forced, other) in [("wgpu", "glow"), ("glow", "wgpu")] {
        let out = without_display(&["--renderer", forced], None);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("--renderer {other}")), "{err}");
        assert!(!err.contains(&format!("--renderer {forced}")), "{err}");
    }
    let out = without_display(&[], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("--renderer"));
}

#[test]
fn a_bare_file_of_each_type_opens_the_gui_on_it() {
    let action = |args: &[&str]| {
        Cli::try_parse_from(std::iter::once("ia-licensing").chain(args.iter().copied()))
            .unwrap_or_else(|e| panic!("{args:?}: {e}"))
            .action()
    };
    let opens = |args: &[&str], file: Option<&str>| match action(args) {
        Ok(Action::Gui(a)) => assert_eq!(a.file.as_deref(), file.map(Path::new), "{args:?}"),
        other => panic!("{args:?}: {other:?}"),
    };
    for name in ["site.I3Lic", "site.ialws", "site.ialacct", "SITE.I3LIC"] {
        opens(&[name], Some(name));
        opens(&["--renderer", "glow", name], Some(name));
        opens(&["gui", name], Some(name));
        opens(&["--renderer", "wgpu", "gui", name], Some(name));
    }
    opens(&[], None);
    opens(&["--renderer", "glow"], None);
    // The global option before a command still leaves the command a command.
    assert!(matches!(
        action(&["--renderer", "glow", "license", "keys"]),
        Ok(Action::Run(_))
    ));
    // A mistyped command is named as one, not opened as a file.
    let err = Cli::try_parse_from(["ia-licensing", "chek"]).expect_err("not a file");
    assert!(err.to_string().contains("not a command"), "{err}");
    // A file and a command together are refused, naming the file.
    let err = action(&["site.I3Lic", "license", "keys"]).expect_err("both");
    assert!(err.to_string().contains("site.I3Lic"), "{err}");
}

/// The binary writes a man page per visible command and the three
/// completion scripts; the hidden `package-files` is in none of them.
#[test]
fn package_files_writes_a_man_page_per_command_and_the_completions() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = bin()
        .args(["package-files", "-o", s(dir.path())])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let man: BTreeSet<String> = std::fs::read_dir(dir.path().join("man"))
        .expect("man/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = std::iter::once("ia-licensing.1".to_string())
        .chain(
            every_command()
                .into_iter()
                .map(|(path, _)| format!("ia-licensing-{}.1", path.replace(' ', "-"))),
        )
        .collect();
    assert_eq!(man, expected);
    let check = std::fs::read_to_string(dir.path().join("man").join("ia-licensing-check.1")).expect("check page");
    assert!(check.contains("renderer") && check.contains("fail\\-on"), "{check}");
    let top = std::fs::read_to_string(dir.path().join("man").join("ia-licensing.1")).expect("page");
    assert!(
        top.contains(".TH ia-licensing 1") && !top.contains("package\\-files"),
        "{top}"
    );

    let visible: Vec<String> = ia_licensing::cli::command_tree()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    for name in ["ia-licensing", "_ia-licensing", "ia-licensing.fish"] {
        let text = std::fs::read_to_string(dir.path().join("completions").join(name)).expect(name);
        for cmd in &visible {
            assert!(text.contains(cmd.as_str()), "{name} lacks {cmd}");
        }
        assert!(text.contains("renderer"), "{name} lacks --renderer");
        assert!(!text.contains("package-files"), "{name} offers the hidden command");
    }
}

/// The bash completion completes a command's options, not only the
/// commands (clap_complete's script did not, for a name with a hyphen).
#[test]
fn bash_completes_the_options_of_a_command() {
    if std::process::Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: no bash here");
        return;
    }
    let dir = tempfile::tempdir().expect("tmp");
    let out = bin()
        .args(["package-files", "-o", s(dir.path())])
        .output()
        .expect("run");
    assert!(out.status.success());
    let script = dir.path().join("completions").join("ia-licensing");
    // What bash does on a Tab: the words so far, then the completion function.
    let complete = |words: &[&str]| -> String {
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let program = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
             _ia__licensing ia-licensing '{}' '{}'; complete -p ia-licensing >&2; echo \"${{COMPREPLY[*]}}\"",
            script.display(),
            quoted.join(" "),
            words.len() - 1,
            words.join(" "),
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &program])
            .output()
            .expect("bash");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("-F _ia__licensing"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(complete(&["ia-licensing", "lic"]), "license");
    assert_eq!(complete(&["ia-licensing", "--renderer", ""]), "wgpu glow");
    let check = complete(&["ia-licensing", "check", "--f"]);
    assert_eq!(check, "--format --fail-on", "options of check: {check:?}");
    let show = complete(&["ia-licensing", "license", "show", "--for"]);
    assert_eq!(show, "--format", "options of license show: {show:?}");
}

/// The desktop entry, the MIME types, the icons and cargo-deb's asset list
/// agree: the types the entry opens are the ones the XML defines, their
/// globs are the extensions the command line opens, and every asset exists.
#[test]
fn desktop_entry_mime_types_icons_and_package_assets_agree() {
    let desktop = std::fs::read_to_string(root().join("packaging/linux/ia-licensing.desktop")).expect("desktop");
    let field = |key: &str| {
        desktop
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key}="))
            .to_string()
    };
    assert_eq!(field("Exec"), "ia-licensing gui %f");
    assert_eq!(field("Icon"), "ia-licensing");
    let opened: BTreeSet<String> = field("MimeType")
        .split(';')
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect();

    let xml = std::fs::read_to_string(root().join("packaging/linux/ia-licensing.xml")).expect("mime xml");
    let attr = |tag: &str, name: &str| -> Vec<String> {
        xml.split(&format!("<{tag} {name}=\""))
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
            .collect()
    };
    let defined: BTreeSet<String> = attr("mime-type", "type").into_iter().collect();
    assert_eq!(
        opened, defined,
        "the desktop entry opens exactly the types the XML defines"
    );
    let globs: BTreeSet<String> = attr("glob", "pattern").into_iter().collect();
    let extensions: BTreeSet<String> = OPENABLE_EXTENSIONS
        .iter()
        .map(|e| format!("*.{}", e.to_lowercase()))
        .collect();
    assert_eq!(globs, extensions, "one glob per extension the command line opens");

    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml")).expect("toml");
    let assets = manifest["package"]["metadata"]["deb"]["assets"]
        .as_array()
        .expect("assets");
    let mut sizes = Vec::new();
    for asset in assets {
        let source = asset[0].as_str().expect("source");
        let dest = asset[1].as_str().expect("dest");
        if let Some(size) = dest.strip_prefix("usr/share/icons/hicolor/") {
            sizes.push(size.split('/').next().unwrap_or_default().to_string());
        }
        // Built or generated at packaging time: the binary, man pages and completions.
        if source.starts_with("target/") || source.starts_with("packaging/generated/") {
            continue;
        }
        if source.contains('*') {
            let dir = root().join(source.rsplit_once('/').map_or("", |(d, _)| d));
            assert!(dir.is_dir(), "{source}");
            continue;
        }
        assert!(root().join(source).is_file(), "asset {source} does not exist");
        if source.ends_with(".png") {
            let size = dest.split('/').nth(4).unwrap_or_default();
            let px: u32 = size.split('x').next().and_then(|n| n.parse().ok()).expect("NxN");
            let png = std::fs::read(root().join(source)).expect("png");
            // The IHDR chunk: width and height, big-endian, at bytes 16..24.
            let w = u32::from_be_bytes(png[16..20].try_into().expect("width"));
            let h = u32::from_be_bytes(png[20..24].try_into().expect("height"));
            assert_eq!((w, h), (px, px), "{source} is {w}x{h}");
        }
    }
    for size in [16, 22, 24, 32, 48, 64, 128, 256] {
        assert!(
            sizes.contains(&format!("{size}x{size}")),
            "no {size}px icon in the package"
        );
    }
}

/// The Windows installer source (packaging/windows/main.wxs, built on a
/// Windows machine: docs/windows.md) installs both executables, starts the
/// GUI-only one from the Start menu and for the three file types — those
/// the command line opens, with the MIME types the Linux package defines —
/// and its icon is made from assets/icon.png in the sizes Windows asks for.
#[test]
fn the_windows_installer_source_and_icon_agree_with_the_package() {
    let wxs = std::fs::read_to_string(root().join("packaging/windows/main.wxs")).expect("main.wxs");
    let attr = |text: &str, tag: &str, name: &str| -> Vec<String> {
        text.split(&format!("<{tag} "))
            .skip(1)
            .filter_map(|rest| {
                let tag_text = rest.split('>').next()?;
                let start = tag_text.find(&format!("{name}=\""))? + name.len() + 2;
                Some(tag_text[start..].split('"').next()?.to_string())
            })
            .collect()
    };
    let files = attr(&wxs, "File", "Name");
    for exe in ["ia-licensing.exe", "ia-licensing-gui.exe", "ia-licensing.ico"] {
        assert!(files.iter().any(|f| f == exe), "{exe} is not installed: {files:?}");
    }
    // The shortcut sits in the GUI executable's File element: it starts it.
    let gui = wxs
        .split("<File Id=\"GuiExe\"")
        .nth(1)
        .and_then(|rest| rest.split("</File>").next())
        .expect("the GUI executable's File element");
    assert!(gui.contains("Name=\"ia-licensing-gui.exe\""));
    assert!(gui.contains("<Shortcut ") && gui.contains("Directory=\"ProgramMenuFolder\""));
    // One ProgId per extension, each opened by the GUI executable.
    let extensions: BTreeSet<String> = attr(&wxs, "Extension", "Id").into_iter().collect();
    let wanted: BTreeSet<String> = OPENABLE_EXTENSIONS.iter().map(|e| (*e).to_string()).collect();
    assert_eq!(extensions, wanted);
    let targets = attr(&wxs, "Verb", "TargetFile");
    assert_eq!(targets.len(), 3);
    assert!(targets.iter().all(|t| t == "GuiExe"), "{targets:?}");
    let xml = std::fs::read_to_string(root().join("packaging/linux/ia-licensing.xml")).expect("mime xml");
    let mime: BTreeSet<String> = attr(&xml, "mime-type", "type").into_iter().collect();
    let content: BTreeSet<String> = attr(&wxs, "Extension", "ContentType").into_iter().collect();
    assert_eq!(content, mime, "the same MIME types as the Linux package");
    for icon in attr(&wxs, "Icon", "SourceFile") {
        assert!(root().join(icon.replace('\\', "/")).is_file(), "{icon}");
    }

    // The .ico: an ICONDIR (reserved 0, type 1, count) and one entry per size.
    let ico = std::fs::read(root().join("packaging/windows/ia-licensing.ico")).expect("ico");
    let u16_at = |i: usize| u16::from_le_bytes([ico[i], ico[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes(ico[i..i + 4].try_into().expect("4 bytes"));
    assert_eq!((u16_at(0), u16_at(2)), (0, 1), "not an icon file");
    let mut sizes = Vec::new();
    for n in 0..usize::from(u16_at(4)) {
        let entry = 6 + 16 * n;
        let size = if ico[entry] == 0 { 256 } else { u32::from(ico[entry]) };
        let (len, offset) = (u32_at(entry + 8) as usize, u32_at(entry + 12) as usize);
        assert!(offset + len <= ico.len(), "entry {size} runs past the file");
        let image = &ico[offset..offset + len];
        if image.starts_with(b"\x89PNG") {
            // The large entry is a PNG: the very pixels of the desktop icon.
            let got = image::load_from_memory(image).expect("png entry").into_rgba8();
            let png = root().join(format!("assets/icons/hicolor/{size}x{size}/apps/ia-licensing.png"));
            let want = image::open(png).expect("hicolor png").into_rgba8();
            assert!(got == want, "the {size}px entry is not the desktop icon");
        } else {
            // A BMP entry: its header says 32 bits per pixel, twice the height (image and mask).
            assert_eq!(u32_at(offset), 40, "entry {size}: no BITMAPINFOHEADER");
            assert_eq!(u32_at(offset + 4), size);
            assert_eq!(u32_at(offset + 8), 2 * size);
        }
        sizes.push(size);
    }
    assert_eq!(sizes, [16, 24, 32, 48, 64, 128, 256]);
}
