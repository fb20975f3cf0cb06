/**
 * Watermarks for a splittable-DoFn source of timestamped events.
 *
 * <p>A watermark is, at a moment of processing time, the event time up to which the system believes
 * it has seen all data: nothing older should arrive any more, and what does arrive older is late.
 * How that belief is formed is a trade-off between <b>completeness</b> (wait until all data is in)
 * and <b>freshness</b> (emit results soon):
 *
 * <ul>
 *   <li>a <b>perfect</b> watermark ({@link dev.tidemark.core.watermark.PerfectWatermark}) is built
 *       from knowledge: the source knows its log is complete up to a point and reports it. No
 *       element is ever late, but results wait for that knowledge;
 *   <li>a <b>heuristic</b> watermark ({@link dev.tidemark.core.watermark.BoundedOutOfOrderness}) is
 *       an estimate from what has been seen: the newest event time minus an out-of-orderness bound,
 *       advanced with processing time when the input is idle. Results come fast, and elements more
 *       out of order than the bound are late.
 * </ul>
 *
 * <p>The policies are plain Java (no Beam) so that other sources, e.g. a Kafka timestamp policy,
 * can reuse them; {@link dev.tidemark.transforms.watermark.PerfectWatermarkEstimator} and {@link
 * dev.tidemark.transforms.watermark.BoundedOutOfOrdernessWatermarkEstimator} adapt them to Beam's
 * {@code WatermarkEstimator}, and {@link dev.tidemark.transforms.watermark.ReadTimestampedEvents}
 * is the splittable source that lets its caller choose one.
 */
package dev.tidemark.transforms.watermark;
