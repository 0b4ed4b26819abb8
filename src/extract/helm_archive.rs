//! Helm chart dependencies vendored as archives: `charts/postgresql-12.1.0.tgz`, what
//! `helm dependency update` writes under a chart's `charts/` folder. The archive's own
//! `Chart.yaml` (`<chart>/Chart.yaml`, the first level of the archive) is read like an
//! unpacked vendored chart's: its `appVersion` is the server the parent chart deploys.
//!
//! The scanner hands this extractor the archive's `Chart.yaml` as the file's text
//! ([`chart_yaml`] unpacks it from the bytes), so the file keeps the archive's path (the
//! file a person replaces) while lines and columns are those of the `Chart.yaml` inside.
//! Bounded by [`limits::HELM_ARCHIVE_MAX_ENTRIES`], [`limits::HELM_ARCHIVE_MAX_UNPACKED`]
//! and [`limits::HELM_ARCHIVE_MAX_CHART_YAML`]; a corrupt or oversized archive is a
//! `parse-error` on the archive's path. Must not: unpack anything to disk, read any other
//! member (templates, values, nested `charts/`).

use std::io::Read;
use std::path::Path;

use super::{Extraction, Extractor, file_name, helm::HelmChart};
use crate::limits;
use crate::source::SourceFile;

/// `charts/*.tgz`.
pub struct HelmArchive;

impl Extractor for HelmArchive {
    fn name(&self) -> &'static str {
        "helm-archive"
    }

    fn sample_paths(&self) -> &'static [&'static str] {
        &["charts/app/charts/postgresql-12.1.0.tgz"]
    }

    fn wants(&self, path: &Path) -> bool {
        is_archive(path)
    }

    fn comment_syntax(&self) -> Option<super::comments::CommentSyntax> {
        Some(super::comments::CommentSyntax::Yaml)
    }

    fn extract(&self, file: &SourceFile, out: &mut Extraction) {
        HelmChart.extract(file, out);
    }
}

/// Is `path` a chart archive in a `charts/` folder (`charts/postgresql-12.1.0.tgz`)?
pub fn is_archive(path: &Path) -> bool {
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    parent == Some("charts") && file_name(path).ends_with(".tgz")
}

/// The text of the `Chart.yaml` at the first level of a gzipped chart archive, or why
/// it cannot be read (said for a person: "not a gzip archive", "… more than N entries").
pub fn chart_yaml(bytes: &[u8]) -> Result<String, String> {
    let unpacked = Bounded {
        inner: flate2::read::GzDecoder::new(bytes),
        left: limits::HELM_ARCHIVE_MAX_UNPACKED,
    };
    let mut archive = tar::Archive::new(unpacked);
    let entries = archive.entries().map_err(|e| describe(&e))?;
    for (n, entry) in entries.enumerate() {
        if n >= limits::HELM_ARCHIVE_MAX_ENTRIES {
            return Err(format!(
                "the archive has more than {} entries before its Chart.yaml",
                limits::HELM_ARCHIVE_MAX_ENTRIES
            ));
        }
        let mut entry = entry.map_err(|e| describe(&e))?;
        let path = entry.path().map_err(|e| describe(&e))?.into_owned();
        let parts: Vec<_> = path
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        let is_chart_yaml = parts.len() == 2
            && parts[1].as_os_str() == "Chart.yaml"
            && entry.header().entry_type().is_file();
        if !is_chart_yaml {
            continue;
        }
        if entry.size() > limits::HELM_ARCHIVE_MAX_CHART_YAML {
            return Err(format!(
                "its Chart.yaml is bigger than {} bytes",
                limits::HELM_ARCHIVE_MAX_CHART_YAML
            ));
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(limits::HELM_ARCHIVE_MAX_CHART_YAML)
            .read_to_end(&mut bytes)
            .map_err(|e| describe(&e))?;
        let decoded = crate::read::decode(bytes);
        return match decoded.problem {
            None => Ok(decoded.text),
            Some((_, message)) => Err(format!("its Chart.yaml is not text: {message}")),
        };
    }
    Err("the archive holds no `<chart>/Chart.yaml`".into())
}

/// An I/O error from unpacking, worded for a person.
fn describe(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::FileTooLarge {
        return e.to_string();
    }
    let text = e.to_string();
    if text.contains("invalid gzip header") {
        "not a gzip archive".into()
    } else {
        format!("not a valid gzipped tar archive ({text})")
    }
}

/// A reader that fails once more than `left` bytes came through: the unpacked size of
/// an archive is bounded whatever its compressed size (a gzip bomb stops here).
struct Bounded<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // one more byte would be over the bound: is there one?
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    format!(
                        "the archive unpacks to more than {} bytes",
                        limits::HELM_ARCHIVE_MAX_UNPACKED
                    ),
                )),
            };
        }
        let max = buf.len().min(self.left as usize);
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A gzipped tar archive of `(path, text)` members, as `helm package` writes one.
    pub(crate) fn tgz(members: &[(&str, &[u8])]) -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let mut builder = tar::Builder::new(gz);
        for (path, data) in members {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            builder.append_data(&mut header, path, *data).unwrap();
        }
        let mut gz = builder.into_inner().unwrap();
        gz.flush().unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn reads_the_first_level_chart_yaml_only() {
        let bytes = tgz(&[
            ("postgresql/values.yaml", b"image:\n  tag: 1\n"),
            (
                "postgresql/charts/common/Chart.yaml",
                b"name: common\nversion: 2.0.0\n",
            ),
            (
                "postgresql/Chart.yaml",
                b"apiVersion: v2\nname: postgresql\nversion: 12.1.0\nappVersion: 15.1.0\n",
            ),
        ]);
        let text = chart_yaml(&bytes).unwrap();
        assert!(text.contains("appVersion: 15.1.0"), "{text}");
    }

    #[test]
    fn corrupt_empty_and_chartless_archives_say_why() {
        assert_eq!(
            chart_yaml(b"not gzip at all").unwrap_err(),
            "not a gzip archive"
        );
        let mut cut = tgz(&[("db/Chart.yaml", b"name: db\n")]);
        cut.truncate(cut.len() / 2);
        assert!(chart_yaml(&cut).is_err());
        let none = tgz(&[("db/values.yaml", b"a: 1\n")]);
        assert_eq!(
            chart_yaml(&none).unwrap_err(),
            "the archive holds no `<chart>/Chart.yaml`"
        );
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_unpacked_bound() {
        let big = vec![0u8; limits::HELM_ARCHIVE_MAX_UNPACKED as usize + 4096];
        let bytes = tgz(&[("db/big.bin", &big), ("db/Chart.yaml", b"name: db\n")]);
        let err = chart_yaml(&bytes).unwrap_err();
        assert!(err.contains("unpacks to more than"), "{err}");
    }

    #[test]
    fn wants_archives_in_a_charts_folder() {
        assert!(HelmArchive.wants(Path::new("charts/app/charts/postgresql-12.1.0.tgz")));
        assert!(HelmArchive.wants(Path::new("charts/redis-17.0.0.tgz")));
        assert!(!HelmArchive.wants(Path::new("dist/redis-17.0.0.tgz")));
        assert!(!HelmArchive.wants(Path::new("charts/redis/Chart.yaml")));
    }
}
