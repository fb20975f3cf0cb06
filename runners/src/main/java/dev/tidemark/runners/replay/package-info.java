/**
 * Publishing the taxi sample as a live event stream: {@link
 * dev.tidemark.runners.replay.ReplaySchedule} plans the order and pace (event-time order, bounded
 * disorder, a fraction of late events), {@link dev.tidemark.runners.replay.TripPublisher} sends it
 * to Kafka as JSON trip events.
 */
package dev.tidemark.runners.replay;
