/**
 * The server's side of the protocols: errors as HTTP statuses ({@link
 * dev.tidemark.serving.protocol.InferenceException}) and the checks of names taken from URLs
 * ({@link dev.tidemark.serving.protocol.Names}). The V1 and V2 records themselves live in core's
 * {@code dev.tidemark.core.protocol}, shared with the remote scorer.
 */
package dev.tidemark.serving.protocol;
