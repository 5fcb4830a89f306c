package com.example.shop.user.user.domain;

import java.util.List;
import java.util.Set;

import org.bson.types.ObjectId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

import com.example.shop.common.store.EntityIndexes;
import com.example.shop.common.web.ApiException;
import com.example.shop.user.auth.domain.PasswordHasher;
import com.example.shop.user.cart.domain.Cart;

@Service
public class UserService {

    /**
     * Fields a page of users may be sorted on: only what every caller sees of every user (not the email,
     * whose order would tell it, one probe at a time).
     */
    public static final Set<String> SORTABLE = Set.of("name");

    private final ReactiveMongoTemplate mongo;

    private final UserRepository users;

    private final EntityIndexes indexes;

    private final PasswordHasher passwords;

    public UserService(ReactiveMongoTemplate mongo, UserRepository users, EntityIndexes indexes,
            PasswordHasher passwords) {
        this.mongo = mongo;
        this.users = users;
        this.indexes = indexes;
        this.passwords = passwords;
    }

    /**
     * Creates a user with an empty cart and the hash of {@code password}; an email already registered is a
     * 409 (the unique index decides, also under races).
     */
    public Mono<User> create(String name, String email, String password) {
        return indexes.ready()
                .then(passwords.hash(password))
                .flatMap(hash -> mongo.insert(new User(null, name, email, Cart.EMPTY, hash)))
                .onErrorMap(DuplicateKeyException.class, e -> emailTaken());
    }

    public Mono<User> get(ObjectId id) {
        return users.findById(id).switchIfEmpty(Mono.error(() -> ApiException.notFound("user", id)));
    }

    /** The users among {@code ids} that exist, in one {@code $in} query. */
    public Flux<User> findAll(List<ObjectId> ids) {
        return ids.isEmpty() ? Flux.empty() : users.findAllById(ids);
    }

    public Mono<Page<User>> page(Pageable pageable) {
        return mongo.find(new Query().with(pageable), User.class).collectList()
                .zipWith(mongo.count(new Query(), User.class))
                .map(t -> new PageImpl<>(t.getT1(), pageable, t.getT2()));
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

    public Mono<Void> delete(ObjectId id) {
        return mongo.remove(byId(id), User.class)
                .flatMap(result -> result.getDeletedCount() == 0
                        ? Mono.error(ApiException.notFound("user", id))
                        : Mono.empty());
    }

    static Query byId(ObjectId id) {
        return Query.query(Criteria.where("_id").is(id));
    }

    private static ApiException emailTaken() {
        return ApiException.conflict("email", "is already registered");
    }
}
