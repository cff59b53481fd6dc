package dev.bastion.chain.spi;

/**
 * Creates a named security function from its configuration. Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/dev.bastion.chain.spi.SecurityFunctionFactory} and give it a public no-argument
 * constructor.
 */
public interface SecurityFunctionFactory {

    /** The name chains use to refer to this function, for example {@code http-filter}; unique across plugins. */
    String name();

    /**
     * Validates {@code config} and returns a ready instance. Bad configuration is a {@link ConfigException}
     * made with {@link FunctionConfig#error(String, String)} so that it names the file, line and field.
     */
    SecurityFunction create(FunctionConfig config) throws ConfigException;
}
