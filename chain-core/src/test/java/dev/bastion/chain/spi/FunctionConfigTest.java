package dev.bastion.chain.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionConfigTest {
    enum Mode { ALLOW_LIST, DENY_LIST }

    @Test
    void typedGettersReadValuesAndDefaults() throws Exception {
        FunctionConfig config = FunctionConfig.parse("""
                methods: [GET, HEAD]
                max: 12
                strict: true
                budget: 250us
                mode: deny-list
                rules:
                  - path: /admin
                  - path: /api
                """);
        assertEquals(List.of("GET", "HEAD"), config.strings("methods"));
        assertEquals(12, config.integer("max", 1, 0, 100));
        assertEquals(7, config.integer("absent", 7));
        assertTrue(config.bool("strict", false));
        assertEquals(Duration.ofNanos(250_000), config.duration("budget", Duration.ZERO));
        assertEquals(Mode.DENY_LIST, config.choice("mode", Mode.class, Mode.ALLOW_LIST));
        assertEquals("/api", config.objects("rules").get(1).string("path"));
        assertEquals(List.of(), config.strings("nothing"));
    }

    @Test
    void errorsNameFileLineAndField() throws Exception {
        FunctionConfig config = FunctionConfig.parse("""
                max: lots
                rules:
                  - path: /a
                  - {}
                mode: sideways
                """);
        ConfigException number = assertThrows(ConfigException.class, () -> config.integer("max", 1));
        assertEquals("<inline>:1: max: expected a whole number, got 'lots'", number.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> config.objects("rules").get(1).string("path"));
        assertEquals("<inline>:4: rules[1].path: required setting is missing", missing.getMessage());
        ConfigException choice = assertThrows(ConfigException.class,
                () -> config.choice("mode", Mode.class, Mode.ALLOW_LIST));
        assertEquals("<inline>:5: mode: 'sideways' is not one of allow-list, deny-list", choice.getMessage());
        ConfigException type = assertThrows(ConfigException.class, () -> config.string("rules"));
        assertEquals("<inline>:3: rules: expected a single value", type.getMessage());
    }

    @Test
    void rangeUnknownKeysAndFunctionOwnErrors() throws Exception {
        FunctionConfig config = FunctionConfig.parse("""
                max: 500
                colour: red
                shape: round
                patterns: ["a", "(b"]
                """);
        assertEquals("<inline>:1: max: 500 is outside 0..100",
                assertThrows(ConfigException.class, () -> config.integer("max", 1, 0, 100)).getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> config.allowOnly("max", "patterns"));
        assertEquals(2, unknown.problems().size());
        assertEquals("colour", unknown.problems().get(0).field());
        assertEquals("<inline>:4: patterns[1]: bad regex",
                config.error("patterns", 1, "bad regex").getMessage());
        assertEquals("<inline>:1: threshold: needs max", config.error("threshold", "needs max").getMessage());
    }

    @Test
    void badDurationIsRejected() throws Exception {
        FunctionConfig config = FunctionConfig.parse("budget: soon\n");
        assertTrue(assertThrows(ConfigException.class, () -> config.duration("budget", Duration.ZERO))
                .getMessage().contains("expected a duration"));
    }
}
