package dev.tidemark.transforms.coders;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StructuredCoder;

/**
 * An explicit coder of a Java record, built from one coder per component, in declaration order: the
 * encoding is the components' encodings one after the other, and decoding calls the canonical
 * constructor. Deterministic when every component coder is. The domain records of Tidemark's core
 * carry no Beam annotations (core is Beam-free), so their coders are declared here, one line each
 * ({@link dev.tidemark.transforms.TidemarkCoders}), instead of falling back to Java serialization.
 *
 * <pre>{@code
 * Coder<Reject> c = RecordCoder.of(Reject.class, StringUtf8Coder.of(), StringUtf8Coder.of(), ...);
 * }</pre>
 *
 * @param <T> the record type
 */
public final class RecordCoder<T extends Record> extends StructuredCoder<T> {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final List<Coder<?>> components;
  private transient MethodHandle[] accessors;
  private transient MethodHandle constructor;

  private RecordCoder(Class<T> type, List<Coder<?>> components) {
    this.type = type;
    this.components = components;
    RecordComponent[] declared = type.getRecordComponents();
    if (declared.length != components.size()) {
      throw new IllegalArgumentException(
          type.getSimpleName()
              + " has "
              + declared.length
              + " components, got "
              + components.size()
              + " coders");
    }
  }

  /** The coder of {@code type} with one coder per component, in declaration order. */
  public static <T extends Record> RecordCoder<T> of(Class<T> type, Coder<?>... components) {
    return new RecordCoder<>(type, List.of(components));
  }

  private void bind() {
    if (constructor != null) {
      return;
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      RecordComponent[] declared = type.getRecordComponents();
      MethodHandle[] get = new MethodHandle[declared.length];
      Class<?>[] params = new Class<?>[declared.length];
      for (int i = 0; i < declared.length; i++) {
        get[i] = lookup.unreflect(declared[i].getAccessor());
        params[i] = declared[i].getType();
      }
      MethodHandle ctor = lookup.findConstructor(type, MethodType.methodType(void.class, params));
      accessors = get;
      constructor = ctor.asSpreader(Object[].class, params.length);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the record " + type.getName() + " must be public with a public canonical constructor",
          e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void encode(T value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null " + type.getSimpleName());
    }
    bind();
    for (int i = 0; i < accessors.length; i++) {
      Object v;
      try {
        v = accessors[i].invoke(value);
      } catch (Throwable e) {
        throw new CoderException("cannot read component " + i + " of " + value, e);
      }
      ((Coder<Object>) components.get(i)).encode(v, out);
    }
  }

  @Override
  public T decode(InputStream in) throws IOException {
    bind();
    Object[] values = new Object[components.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = components.get(i).decode(in);
    }
    try {
      return type.cast(constructor.invoke(values));
    } catch (RuntimeException | Error e) {
      throw new CoderException(
          "decoded components of " + type.getSimpleName() + " are invalid: " + e.getMessage(), e);
    } catch (Throwable e) {
      throw new CoderException("cannot construct " + type.getSimpleName(), e);
    }
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public List<? extends Coder<?>> getComponents() {
    return components;
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(
        this, type.getSimpleName() + " needs deterministic component coders", components);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordCoder<?> c && type.equals(c.type) && components.equals(c.components);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, components);
  }

  @Override
  public String toString() {
    return "RecordCoder<" + type.getSimpleName() + ">" + Arrays.toString(components.toArray());
  }
}
