package com.example.shop.deletion;

import org.bson.types.ObjectId;

/** A document that a delete turns into a tombstone ({@link Deletion}) before it is removed. */
public interface Tombstoned {

    ObjectId id();

    /** The tombstone; null while the document is not deleted. */
    Deletion deletion();
}
