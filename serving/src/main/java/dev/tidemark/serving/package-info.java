/**
 * Tidemark's model server: the bootstrap ({@link dev.tidemark.serving.Main}, {@link
 * dev.tidemark.serving.ModelServer}) and its configuration. Protocol types live in {@code
 * protocol}, request handling in {@code service}, models and their lifecycle in {@code model}.
 */
package dev.tidemark.serving;
