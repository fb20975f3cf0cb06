/**
 * Versioned model storage on a local directory or an S3-compatible object store (AWS SDK v2), in
 * plain Java (no Beam): {@link dev.tidemark.core.store.ModelStore} publishes a version's files and
 * then a {@code _COMPLETE} marker, and lists and reads only complete versions; {@link
 * dev.tidemark.core.store.ObjectStore} is the small object interface under it. The training
 * pipeline writes with it and the model server reads with it.
 */
package dev.tidemark.core.store;
