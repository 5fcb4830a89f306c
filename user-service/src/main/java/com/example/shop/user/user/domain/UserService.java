package com.example.shop.user.user.domain;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import org.bson.Document;
import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

import com.example.shop.deletion.Deletion;
import com.example.shop.store.EntityIndexes;
import com.example.shop.store.FilterQueries;
import com.example.shop.web.ApiException;
import com.example.shop.web.filter.Filter;
import com.example.shop.web.filter.FilterableField;
import com.example.shop.web.filter.FilterableFields;
import com.example.shop.web.filter.MatchingIds;
import com.example.shop.user.password.PasswordHasher;

/**
 * Users, each write one atomic update of one document. A deleted user is a tombstone (see {@link #delete})
 * until {@link UserCleanup} has had product-service delete its products; every read and write here leaves
 * tombstones out, so a deleted user is a 404 at once.
 */
@Service
public class UserService {

    /**
     * Fields a page of users may be sorted on: only what every caller sees of every user (not the email,
     * whose order would tell it, one probe at a time).
     */
    public static final Set<String> SORTABLE = Set.of("name");

    /**
     * Fields a page of users may be filtered on ({@code name=prefix.Ad}, {@code id=in.a,b}): what every caller
     * sees of every user. The email is refused by name, for the reason it sorts nothing.
     */
    public static final FilterableFields FILTERABLE = FilterableFields.of(
            FilterableField.string("name", User.MAX_NAME), FilterableField.id("id", "_id"))
            .refusing("email", "is not everyone's to see, so it filters nothing");

    private final ReactiveMongoTemplate mongo;

    private final UserRepository users;

    private final EntityIndexes indexes;

    private final PasswordHasher passwords;

    private final Clock clock;

    public UserService(ReactiveMongoTemplate mongo, UserRepository users, EntityIndexes indexes,
            PasswordHasher passwords, Clock clock) {
        this.mongo = mongo;
        this.users = users;
        this.indexes = indexes;
        this.passwords = passwords;
        this.clock = clock;
    }

    /**
     * Creates a user with an empty cart and the hash of {@code password}; an email already registered is a
     * 409 (the unique index decides, also under races).
     */
    public Mono<User> create(String name, String email, String password) {
        return indexes.ready()
                .then(passwords.hash(password))
                .flatMap(hash -> mongo.insert(new User(null, name, email, Cart.EMPTY, hash, null)))
                .onErrorMap(DuplicateKeyException.class, e -> emailTaken());
    }

    public Mono<User> get(ObjectId id) {
        return users.findByIdAndDeletionIsNull(id).switchIfEmpty(Mono.error(() -> ApiException.notFound("user", id)));
    }

    /** The users among {@code ids} that exist, in one {@code $in} query. */
    public Flux<User> findAll(List<ObjectId> ids) {
        return ids.isEmpty() ? Flux.empty() : users.findByIdInAndDeletionIsNull(ids);
    }

    /**
     * As {@link #findAll}, with only what every caller may see of another user read from the store: the id and
     * the name, as the store's documents ({@code _id}, {@code name}). Email, cart and password hash stay in the
     * store, so neither the store nor this process handles them; and the documents are not mapped to {@link User}
     * records, since the public view is made from them at once (the generic entity mapping cost more than writing the
     * answer's JSON).
     */
    public Flux<Document> findPublic(List<ObjectId> ids) {
        if (ids.isEmpty()) {
            return Flux.empty();
        }
        Query query = Query.query(Deletion.notDeleted().and("_id").in(ids));
        query.fields().include("name");
        return mongo.query(User.class).as(Document.class).matching(query).all();
    }

    /**
     * One page of the users that pass every one of {@code filters} (on {@link #FILTERABLE}), and how many there
     * are: the same query for both, so the total is exact.
     */
    public Mono<Page<User>> page(Pageable pageable, List<Filter> filters) {
        return mongo.find(FilterQueries.query(Deletion.notDeleted(), filters).with(pageable), User.class).collectList()
                .zipWith(mongo.count(FilterQueries.query(Deletion.notDeleted(), filters), User.class))
                .map(t -> new PageImpl<>(t.getT1(), pageable, t.getT2()));
    }

    /**
     * The ids of the live users that pass every one of {@code request}'s filters (on {@link #FILTERABLE}), at most
     * its limit: the gateway's filters through a reference to a user ({@code /api/products?userId.name=eq.Ada}).
     */
    public Flux<ObjectId> matchingIds(MatchingIds request) {
        return FilterQueries.distinctIds(mongo, User.class, Deletion.notDeleted(), request.filters(),
                request.of().storedAs(), request.limit());
    }

    /** Sets the given fields (null = leave as is) in one atomic update. */
    public Mono<User> update(ObjectId id, String name, String email) {
        Update update = new Update();
        if (name != null) {
            update.set("name", name);
        }
        if (email != null) {
            update.set("email", email);
        }
        if (update.getUpdateObject().isEmpty()) {
            return Mono.error(ApiException.badRequest("body", "give at least one of: name, email"));
        }
        return indexes.ready()
                .then(mongo.findAndModify(byId(id), update, FindAndModifyOptions.options().returnNew(true), User.class))
                .onErrorMap(DuplicateKeyException.class, e -> emailTaken())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user", id)));
    }

    /**
     * Deletes in one write that leaves a tombstone: from then on the user is a 404 everywhere (reads,
     * batches, pages, its profile and cart) and cannot sign in, its token changes nothing in
     * product-service (which asks here on every write), and the deletion of its products is on record
     * for {@link UserCleanup}, whatever happens to this process or to product-service. The same write
     * empties the document of the person: name, cart and password hash go, and the email is replaced by
     * a value that is no address ({@link #tombstoneEmail}), so the address is free to sign up again at
     * once (the unique index stays satisfied). 404 if there is no such user, or it is already deleted.
     */
    public Mono<Void> delete(ObjectId id) {
        Update tombstone = new Update()
                .set(Deletion.FIELD, Deletion.pending(clock.instant()))
                .set("email", tombstoneEmail(id))
                .unset("name")
                .unset("cart")
                .unset("passwordHash");
        return mongo.findAndModify(byId(id), tombstone, User.class)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user", id)))
                .then();
    }

    /** The email of a deleted user: unique (its id) and never an address (no {@code @}), so no sign-in finds it. */
    static String tombstoneEmail(ObjectId id) {
        return "deleted:" + id.toHexString();
    }

    /** The user {@code id}, unless deleted: the filter of every write. */
    static Query byId(ObjectId id) {
        return Query.query(Deletion.notDeleted().and("_id").is(id));
    }

    private static ApiException emailTaken() {
        return ApiException.conflict("email", "is already registered");
    }
}
