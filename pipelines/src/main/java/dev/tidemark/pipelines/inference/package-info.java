/**
 * Streaming model inference pipelines: trip events from Kafka scored in process by the newest model
 * version of the model store, predictions and monitoring records back to Kafka.
 */
package dev.tidemark.pipelines.inference;
