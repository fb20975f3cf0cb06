/**
 * Remote inference: a {@link dev.tidemark.transforms.inference.TripScorer} that asks a model server
 * over the Open Inference Protocol V2 {@code infer} endpoint ({@link
 * dev.tidemark.transforms.inference.remote.RemoteScorer}), one HTTP call per batch, with a timeout
 * per call, retries with exponential backoff and jitter ({@link
 * dev.tidemark.transforms.inference.remote.RetryPolicy}) and a circuit breaker ({@link
 * dev.tidemark.transforms.inference.remote.CircuitBreaker}). The wire format of the calls lives in
 * {@link dev.tidemark.core.protocol.V2Trips}.
 */
package dev.tidemark.transforms.inference.remote;
