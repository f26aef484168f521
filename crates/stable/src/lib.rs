//! Scans the stable version's source tree for names a release drops or renames.
