/**
 * Skew: how far processing time is behind event time, per element. Not a business metric, but the
 * root of lateness: the more skew varies, the harder a watermark's job. {@link
 * dev.tidemark.transforms.skew.MeasureSkew} records it as a Beam distribution, emits a {@link
 * dev.tidemark.transforms.skew.SkewHistogram} per window in the buckets of {@link
 * dev.tidemark.transforms.skew.SkewBuckets}, and counts negative skew (events stamped in the
 * future, processing time younger than event time) on its own.
 */
package dev.tidemark.transforms.skew;
