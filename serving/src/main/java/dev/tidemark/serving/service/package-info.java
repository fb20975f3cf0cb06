/**
 * Request handling: the HTTP front end on Vert.x ({@link dev.tidemark.serving.service.HttpApi}:
 * routing, auth, body limit, timeouts, graceful drain), the protocol logic independent of HTTP
 * ({@link dev.tidemark.serving.service.InferenceService}), the taxi transformer from request JSON
 * to feature rows ({@link dev.tidemark.serving.service.TaxiInputs}) and Prometheus metrics ({@link
 * dev.tidemark.serving.service.ServerMetrics}).
 */
package dev.tidemark.serving.service;
