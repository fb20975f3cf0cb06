/**
 * Runnable Tidemark pipelines: each class is a thin {@code main()} with its own options interface,
 * composing named transforms from {@code dev.tidemark.transforms}. The runner is chosen by {@code
 * --runner} alone; nothing here imports a runner. {@link dev.tidemark.pipelines.PipelineCatalog}
 * lists them for {@code bin/tidemark run}.
 */
package dev.tidemark.pipelines;
