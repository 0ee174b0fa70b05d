//! The media servers a workspace names, each with what its license file
//! says (the multi-server rule in `rules` reads it).

use std::path::Path;

use super::{License, LoadOptions, MediaServerLicenseError};

/// Reads the license files a workspace names for its media servers (plain
/// file names in the workspace's folder) and says whether each uses virtual
/// cloud licensing.
pub fn media_server_statuses(
    ws: &crate::model::workspace::Workspace,
    workspace_dir: &Path,
    opts: LoadOptions<'_>,
) -> Vec<MediaServerStatus> {
    ws.media_servers
        .iter()
        .map(|m| {
            let license = crate::model::workspace::media_server_license_path(workspace_dir, &m.license)
                .map_err(MediaServerLicenseError::from)
                .and_then(|path| Ok(License::load_path(&path, opts)?))
                .map(|l| l.is_virtual_cloud());
            MediaServerStatus {
                name: m.name.clone(),
                license,
            }
        })
        .collect()
}

/// A media server named by the workspace, with what its license file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaServerStatus {
    pub name: String,
    /// `Ok(uses virtual cloud)`, or why its license could not be read.
    pub license: Result<bool, MediaServerLicenseError>,
}
