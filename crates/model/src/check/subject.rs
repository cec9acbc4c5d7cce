//! What a problem is about: a [`Subject`] of the matrix by position, down to one field
//! ([`ReleaseField`], [`AppField`], [`EntryField`]).

/// A field of a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReleaseField {
    /// `branch`
    Branch,
    /// `python`
    Python,
    /// `node`
    Node,
}

/// A field of an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AppField {
    /// `kind`
    Kind,
    /// `repository`
    Repository,
    /// `path`
    Path,
}

/// A field of an application version in a release-map entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EntryField {
    /// The entry's own `release`.
    Release,
    /// `branch`
    Branch,
    /// `origin`
    Origin,
    /// `runtime`
    Runtime,
    /// `translations`, the command at this index.
    Translation(usize),
    /// `extra`, the value at this index.
    Extra(usize),
}

/// What a problem is about, by position in the [`Matrix`](crate::Matrix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The matrix as a whole.
    Matrix,
    /// The `index`th name in the stage order.
    StageOrder {
        /// Position in [`Matrix::stages`](crate::Matrix::stages).
        index: usize,
    },
    /// A release, or one of its fields.
    Release {
        /// Position in [`Matrix::releases`](crate::Matrix::releases).
        index: usize,
        /// The field, or `None` for the release's name.
        field: Option<ReleaseField>,
    },
    /// An application, or one of its fields.
    Application {
        /// Position in [`Matrix::applications`](crate::Matrix::applications).
        index: usize,
        /// The field, or `None` for the application's name.
        field: Option<AppField>,
    },
    /// A deployment's name.
    Deployment {
        /// Position in [`Matrix::deployments`](crate::Matrix::deployments).
        index: usize,
    },
    /// A stage of a deployment: its name, or (with `release`) the release it pins.
    Stage {
        /// Position in [`Matrix::deployments`](crate::Matrix::deployments).
        deployment: usize,
        /// Position in that deployment's stages.
        index: usize,
        /// `true` for the pinned release value, `false` for the stage name.
        release: bool,
    },
    /// A release-map entry as a whole.
    Entry {
        /// Position in [`Matrix::release_map`](crate::Matrix::release_map).
        index: usize,
    },
    /// An application version in a release-map entry, or one of its fields.
    EntryApp {
        /// Position in [`Matrix::release_map`](crate::Matrix::release_map).
        entry: usize,
        /// Position in that entry's apps.
        app: usize,
        /// The field, or `None` for the application name.
        field: Option<EntryField>,
    },
}
