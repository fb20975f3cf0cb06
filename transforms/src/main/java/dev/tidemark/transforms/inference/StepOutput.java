package dev.tidemark.transforms.inference;

import java.io.Serializable;

/**
 * What one step of an inference graph answered for one trip.
 *
 * @param step the step's name in the graph spec
 * @param model the model name that answered
 * @param version the model version that answered
 * @param probability its probability
 */
public record StepOutput(String step, String model, String version, double probability)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
