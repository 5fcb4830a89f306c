package com.example.shop.store.embedded;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The H2 file backend, made to acknowledge a write only once it is in the data file. The plain {@link H2Backend}
 * leaves its changes to the MVStore's background auto-commit (about once a second), so a process killed right
 * after an acknowledged write could lose it. This one commits the MVStore after every command, before the
 * server sends the reply: {@code MVStore.commit()} blocks until the new chunk is written to the file (and waits
 * for a commit another thread has under way). The write then survives a crash of the process; it sits in the
 * operating system's page cache, so a crash of the machine can still lose it (there is no fsync per write).
 * A command that changed nothing costs a lock and a check of the store's maps.
 * <p>
 * Each commit writes the changed pages anew, and the MVStore reuses the space of old ones only after its
 * retention time (45 s), so the file grows by about the last 45 s of writes; a normal stop spends up to
 * {@value #COMPACTION_ON_CLOSE_MILLIS} ms moving the live data together, which gives most of that space back.
 * Index changes wait for the collection's queries ({@link IndexChanges}); an aggregate's cursor options are dropped
 * ({@link AggregateCursors}).
 */
class CommittingH2Backend extends H2Backend {

    static final int COMPACTION_ON_CLOSE_MILLIS = 1000;

    CommittingH2Backend(String fileName) {
        super(fileName);
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document given) {
        Document query = AggregateCursors.withoutOptions(command, given);
        try {
            return IndexChanges.handle(this, databaseName, command, query,
                    () -> super.handleCommand(channel, databaseName, command, query));
        }
        finally {
            // also after a failed command: an unordered bulk write may have applied some of its writes
            getMvStore().commit();
        }
    }

    @Override
    public void close() {
        getMvStore().close(COMPACTION_ON_CLOSE_MILLIS);
        super.close(); // the store is closed already: this only forgets the databases
    }
}
