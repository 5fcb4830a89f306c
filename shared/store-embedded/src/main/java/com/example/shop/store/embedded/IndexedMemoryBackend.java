package com.example.shop.store.embedded;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;

/**
 * The in-memory backend of mongo-java-server with collections that serve the services' pages, batch lookups
 * and counts without sorting or scanning the whole collection ({@link IndexedMemoryCollection},
 * {@link IndexedMemoryDatabase}); every answer is the plain {@link MemoryBackend}'s.
 */
class IndexedMemoryBackend extends MemoryBackend {

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new IndexedMemoryDatabase(databaseName, getCursorRegistry());
    }
}
