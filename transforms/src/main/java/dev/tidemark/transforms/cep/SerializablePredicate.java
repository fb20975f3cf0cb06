package dev.tidemark.transforms.cep;

import java.io.Serializable;
import java.util.function.Predicate;

/**
 * A condition on one event that travels with the pipeline: patterns are serialized to the workers,
 * so their predicates must be serializable too (a lambda assigned to this type is).
 *
 * <pre>{@code
 * SerializablePredicate<CustomerEvent> isLogin = e -> e.type() == CustomerEvent.Type.LOGIN;
 * }</pre>
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface SerializablePredicate<E> extends Predicate<E>, Serializable {

  /** The predicate that holds for every event (a step without {@code where}). */
  static <E> SerializablePredicate<E> always() {
    return e -> true;
  }

  /** Both this and {@code other} hold. */
  default SerializablePredicate<E> and(SerializablePredicate<E> other) {
    return e -> test(e) && other.test(e);
  }

  /** This or {@code other} holds. */
  default SerializablePredicate<E> or(SerializablePredicate<E> other) {
    return e -> test(e) || other.test(e);
  }
}
