package dev.bastion.functions.name;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamePatternTest {

    @Test
    void exactNamesIgnoreCaseAndTrailingDot() {
        NamePattern p = NamePattern.parse("API.Example.com.");
        assertTrue(p.matches("api.example.com"));
        assertFalse(p.matches("api.example.co"));
        assertFalse(p.matches("xapi.example.com"));
    }

    @Test
    void starMatchesWithinOneLabel() {
        NamePattern p = NamePattern.parse("*.example.com");
        assertTrue(p.matches("a.example.com"));
        assertFalse(p.matches("example.com"));
        assertFalse(p.matches("a.b.example.com"));
        assertFalse(p.matches("aexample.com"));
        NamePattern partial = NamePattern.parse("api-*.svc.local");
        assertTrue(partial.matches("api-1.svc.local"));
        assertTrue(partial.matches("api-.svc.local"));
        assertFalse(partial.matches("web-1.svc.local"));
        assertFalse(partial.matches("api-x.y.svc.local"));
    }

    @Test
    void doubleStarMatchesAnyNumberOfLabels() {
        NamePattern p = NamePattern.parse("**.example.com");
        assertTrue(p.matches("a.example.com"));
        assertTrue(p.matches("a.b.c.example.com"));
        assertFalse(p.matches("example.com"));
        assertFalse(p.matches("badexample.com"));
        assertTrue(NamePattern.parse("*").matches("anything.at.all"));
    }

    @Test
    void badPatternsAreRejectedWithReasons() {
        for (String bad : List.of("", "a..b", "a b.com", "x.**.com", "**.", "a".repeat(64) + ".com")) {
            assertThrows(IllegalArgumentException.class, () -> NamePattern.parse(bad), bad);
        }
    }

    @Test
    void denyWinsAndAnAllowListExcludesTheRest() {
        NameRules rules = new NameRules(List.of(NamePattern.parse("**.example.com")), List.of(NamePattern.parse("admin.example.com")));
        assertTrue(rules.allows("www.example.com"));
        assertFalse(rules.allows("admin.example.com"));
        assertFalse(rules.allows("example.org"));
        NameRules denyOnly = new NameRules(List.of(), List.of(NamePattern.parse("*.evil.org")));
        assertTrue(denyOnly.allows("example.org"));
        assertFalse(denyOnly.allows("c2.evil.org"));
    }
}
