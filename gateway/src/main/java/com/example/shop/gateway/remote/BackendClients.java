package com.example.shop.gateway.remote;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The gateway's backend clients, one per backend the public API declares, by name, in declaration order. */
public final class BackendClients {

    private final Map<String, BackendClient> clients = new LinkedHashMap<>();

    public BackendClients(List<BackendClient> clients) {
        clients.forEach(client -> this.clients.put(client.name(), client));
    }

    /** The client of {@code backend}, a declared one. */
    public BackendClient get(String backend) {
        BackendClient client = clients.get(backend);
        if (client == null) {
            throw new IllegalArgumentException("no backend " + backend + "; declared: " + clients.keySet());
        }
        return client;
    }

    public Collection<BackendClient> all() {
        return clients.values();
    }
}
