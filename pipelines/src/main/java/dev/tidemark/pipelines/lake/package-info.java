/**
 * The data lake on an S3-compatible object store (S3Proxy locally, MinIO in the lab, AWS S3 in
 * production): how Beam's S3 file system is pointed at it ({@link
 * dev.tidemark.pipelines.lake.LakeS3ClientBuilderFactory}), and the archive layout of raw trip
 * events partitioned by event date ({@link dev.tidemark.pipelines.lake.ArchiveByEventDate}).
 */
package dev.tidemark.pipelines.lake;
