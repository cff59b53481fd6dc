package dev.bastion.chain.registry;

import dev.bastion.chain.spi.SecurityFunctionFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles a one-class function factory and packs it as a plugin jar, as a user's build would. */
final class PluginJars {
    private PluginJars() {
    }

    /** A jar whose factory {@code pkg.Factory} offers {@code functionName}; its functions drop every packet. */
    static Path build(Path directory, String jarName, String pkg, String functionName) throws IOException {
        Path sources = Files.createTempDirectory(directory.getParent(), "src");
        Path classes = Files.createTempDirectory(directory.getParent(), "classes");
        Path source = sources.resolve("Factory.java");
        Files.writeString(source, """
                package %s;
                import dev.bastion.chain.spi.*;
                public final class Factory implements SecurityFunctionFactory {
                    public String name() { return "%s"; }
                    public SecurityFunction create(FunctionConfig config) { return (packet, flow) -> Verdict.DROP; }
                }
                """.formatted(pkg, functionName));
        String classPath = SecurityFunctionFactory.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", classPath, source.toString());
        if (rc != 0) {
            throw new IOException("javac failed for " + source);
        }
        Path jar = directory.resolve(jarName);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + SecurityFunctionFactory.class.getName()));
            writeLine(out, pkg + ".Factory");
            out.closeEntry();
        }
        return jar;
    }

    private static void writeLine(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
