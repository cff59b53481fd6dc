package dev.bastion.agent.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a route handler sees of a request. */
public record ApiRequest(String method, String path, Map<String, List<String>> query, String body) {

    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** An integer query parameter within bounds; anything else is a 400 naming the parameter. */
    public int intParam(String name, int defaultValue, int min, int max) {
        Optional<String> v = param(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException(400, "query parameter '" + name + "' must be an integer in " + min + ".." + max);
    }
}
