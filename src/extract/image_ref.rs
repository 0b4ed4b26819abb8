//! Container image references (`[registry[:port]/]repo[:tag][@digest]`): the one place
//! that splits them, shared by every extractor that reads images (compose, Dockerfile,
//! Kubernetes, Helm values, GitHub Actions).
//!
//! Pure string functions over the reference as written: no spans (callers map the
//! returned byte ranges back into their file), no registry knowledge beyond the syntax.

/// Split an image reference into the name (without tag and digest) and the tag's byte
/// range inside `image`. The tag is the part after the last `:` that comes after the
/// last `/` (a registry port is not a tag); an empty tag (`redis:`) is no tag.
pub fn split_image(image: &str) -> (&str, Option<(usize, usize)>) {
    let without_digest = image.split_once('@').map_or(image, |(n, _)| n);
    let slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    match without_digest[slash..].rfind(':') {
        Some(c) => {
            let colon = slash + c;
            let tag = (colon + 1, without_digest.len());
            let tag = (tag.0 < tag.1).then_some(tag);
            (&without_digest[..colon], tag)
        }
        None => (without_digest, None),
    }
}

/// The digest an image reference pins (`sha256:abc` of `redis:7.2@sha256:abc`), if any.
/// Extractors record it on the component: a digest pins the image whatever the tag says.
pub fn digest(image: &str) -> Option<&str> {
    image
        .split_once('@')
        .map(|(_, d)| d.trim())
        .filter(|d| !d.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_split_at_the_tag() {
        assert_eq!(split_image("mysql:8.0"), ("mysql", Some((6, 9))));
        assert_eq!(split_image("mysql"), ("mysql", None));
        assert_eq!(
            split_image("localhost:5000/org/app:1.2"),
            ("localhost:5000/org/app", Some((23, 26)))
        );
        assert_eq!(
            split_image("localhost:5000/app"),
            ("localhost:5000/app", None)
        );
        assert_eq!(
            split_image("registry.example.test:5000/team/mysql"),
            ("registry.example.test:5000/team/mysql", None)
        );
        assert_eq!(split_image("redis:7.2@sha256:abc"), ("redis", Some((6, 9))));
        assert_eq!(split_image("mysql:8@sha256:abc"), ("mysql", Some((6, 7))));
        assert_eq!(split_image("redis@sha256:abc"), ("redis", None));
        assert_eq!(split_image("redis:"), ("redis", None));
    }

    #[test]
    fn digests_are_read_after_the_at_sign() {
        assert_eq!(digest("nginx@sha256:abc"), Some("sha256:abc"));
        assert_eq!(digest("redis:7.2@sha256:abc"), Some("sha256:abc"));
        assert_eq!(digest("localhost:5000/app:1@sha256:0f"), Some("sha256:0f"));
        assert_eq!(digest("nginx:1.27"), None);
        assert_eq!(digest("nginx@"), None);
    }
}
