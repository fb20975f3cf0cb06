/**
 * Tidemark's library of reusable composite {@code PTransform}s: the Dataflow model (windows,
 * watermarks, triggers, accumulation, late data), complex event processing and the ML steps. No I/O
 * configuration, no pipeline options, no runner imports live here.
 */
package dev.tidemark.transforms;
