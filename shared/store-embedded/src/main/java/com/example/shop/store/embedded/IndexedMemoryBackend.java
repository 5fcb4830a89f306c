package com.example.shop.store.embedded;

import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The in-memory backend of mongo-java-server with collections that serve the services' pages, batch lookups
 * and counts without sorting or scanning the whole collection ({@link IndexedMemoryCollection},
 * {@link IndexedMemoryDatabase}); every answer is the plain {@link MemoryBackend}'s. Index changes wait for
 * the collection's queries ({@link IndexChanges}); an aggregate's cursor options are dropped
 * ({@link AggregateCursors}).
 */
class IndexedMemoryBackend extends MemoryBackend {

    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new IndexedMemoryDatabase(databaseName, getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document given) {
        Document query = AggregateCursors.withoutOptions(command, given);
        return IndexChanges.handle(this, databaseName, command, query,
                () -> super.handleCommand(channel, databaseName, command, query));
    }
}
