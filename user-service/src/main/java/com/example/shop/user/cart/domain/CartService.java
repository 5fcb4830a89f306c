package com.example.shop.user.cart.domain;

import java.util.List;

import org.bson.Document;
import org.bson.types.ObjectId;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

import com.example.shop.deletion.Deletion;
import com.example.shop.web.ApiException;
import com.example.shop.user.product.ProductClient;
import com.example.shop.user.user.domain.User;
import com.example.shop.user.user.domain.CartItem;
import com.example.shop.user.user.domain.Cart;

/**
 * Cart changes, each one atomic update of the user document guarded by a condition, so concurrent
 * requests never lose each other's work and a product never appears on two lines:
 * <ul>
 * <li>an existing line grows by {@code $inc} on that element (an array filter on the product), only
 * while the query still finds it with room under {@link Cart#MAX_QUANTITY};</li>
 * <li>a new line is {@code $push}ed only if no line holds the product yet and the cart has fewer than
 * {@link Cart#MAX_LINES} lines (no element at index {@code MAX_LINES - 1}).</li>
 * </ul>
 * When neither guard matches, a fresh read tells why (no such user, a limit, or a concurrent change
 * that made the other branch right, which is then tried again).
 */
@Service
public class CartService {

    private static final int MAX_ATTEMPTS = 8;

    private static final FindAndModifyOptions RETURN_NEW = FindAndModifyOptions.options().returnNew(true);

    private final ReactiveMongoTemplate mongo;

    private final ProductClient products;

    public CartService(ReactiveMongoTemplate mongo, ProductClient products) {
        this.mongo = mongo;
        this.products = products;
    }

    public Mono<Cart> get(ObjectId userId) {
        return mongo.findOne(byId(userId), User.class)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user", userId)))
                .map(User::cart);
    }

    /** Adds {@code quantity} of a product: a new line, or more on the existing one. */
    public Mono<Cart> add(ObjectId userId, ObjectId productId, int quantity) {
        return requireUser(userId)
                .then(products.requireExists(productId))
                .then(Mono.defer(() -> add(userId, productId, quantity, 1)));
    }

    private Mono<Cart> add(ObjectId userId, ObjectId productId, int quantity, int attempt) {
        Query lineWithRoom = Query.query(Criteria.where("_id").is(userId).and("cart.items")
                .elemMatch(Criteria.where("productId").is(productId).and("quantity").lte(Cart.MAX_QUANTITY - quantity)));
        return modify(lineWithRoom, onLine(productId).inc("cart.items.$[line].quantity", quantity))
                .switchIfEmpty(Mono.defer(() -> pushNewLine(userId, productId, quantity)))
                .switchIfEmpty(Mono.defer(() -> explain(userId, productId, quantity, attempt)
                        .then(Mono.defer(() -> add(userId, productId, quantity, attempt + 1)))));
    }

    /** Sets the quantity of a product's line (creating it if needed); 0 removes the line. */
    public Mono<Cart> set(ObjectId userId, ObjectId productId, int quantity) {
        if (quantity == 0) {
            return remove(userId, productId);
        }
        return requireUser(userId)
                .then(products.requireExists(productId))
                .then(Mono.defer(() -> set(userId, productId, quantity, 1)));
    }

    private Mono<Cart> set(ObjectId userId, ObjectId productId, int quantity, int attempt) {
        Query line = Query.query(Criteria.where("_id").is(userId).and("cart.items.productId").is(productId));
        return modify(line, onLine(productId).set("cart.items.$[line].quantity", quantity))
                .switchIfEmpty(Mono.defer(() -> pushNewLine(userId, productId, quantity)))
                .switchIfEmpty(Mono.defer(() -> explain(userId, productId, 0, attempt)
                        .then(Mono.defer(() -> set(userId, productId, quantity, attempt + 1)))));
    }

    public Mono<Cart> remove(ObjectId userId, ObjectId productId) {
        return modify(byId(userId), new Update().pull("cart.items", new Document("productId", productId)))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user", userId)));
    }

    public Mono<Cart> clear(ObjectId userId) {
        return modify(byId(userId), new Update().set("cart.items", List.of()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user", userId)));
    }

    /** Takes a (deleted) product out of every cart in one multi-document update; returns how many carts changed. */
    public Mono<Long> removeProductEverywhere(ObjectId productId) {
        return mongo.updateMulti(Query.query(Criteria.where("cart.items.productId").is(productId)),
                        new Update().pull("cart.items", new Document("productId", productId)), User.class)
                .map(result -> result.getModifiedCount());
    }

    /** An update of the one line that holds the product ({@code $[line]}, an array filter). */
    private static Update onLine(ObjectId productId) {
        return new Update().filterArray(Criteria.where("line.productId").is(productId));
    }

    private Mono<Cart> pushNewLine(ObjectId userId, ObjectId productId, int quantity) {
        Query noLineYetAndRoom = Query.query(Criteria.where("_id").is(userId).and("cart.items.productId").ne(productId)
                .and("cart.items." + (Cart.MAX_LINES - 1)).exists(false));
        return modify(noLineYetAndRoom, new Update().push("cart.items", new CartItem(productId, quantity)));
    }

    /**
     * Neither guarded update matched: a missing user is a 404, and a line that would pass its limit or a
     * new line in a full cart a 422; otherwise another request changed the line in between, and the
     * caller tries again.
     */
    private Mono<Void> explain(ObjectId userId, ObjectId productId, int adding, int attempt) {
        return get(userId).flatMap(cart -> {
            boolean hasLine = cart.items().stream().anyMatch(item -> item.productId().equals(productId));
            if (!hasLine && cart.items().size() >= Cart.MAX_LINES) {
                return Mono.error(ApiException.unprocessable("productId", "the cart holds " + cart.items().size()
                        + " products, the limit of " + Cart.MAX_LINES + " lines per cart; remove one first"));
            }
            int current = cart.items().stream().filter(item -> item.productId().equals(productId))
                    .mapToInt(CartItem::quantity).findFirst().orElse(0);
            if (adding > 0 && current + adding > Cart.MAX_QUANTITY) {
                return Mono.error(ApiException.unprocessable("quantity", "the line holds " + current + "; adding "
                        + adding + " would pass the limit of " + Cart.MAX_QUANTITY + " per product"));
            }
            if (attempt >= MAX_ATTEMPTS) {
                return Mono.error(new IllegalStateException("cart of " + userId + " kept changing; gave up after "
                        + attempt + " attempts"));
            }
            return Mono.empty();
        });
    }

    private Mono<Void> requireUser(ObjectId userId) {
        return mongo.exists(byId(userId), User.class)
                .flatMap(exists -> exists ? Mono.<Void>empty() : Mono.error(ApiException.notFound("user", userId)));
    }

    private Mono<Cart> modify(Query query, Update update) {
        return mongo.findAndModify(query, update, RETURN_NEW, User.class).map(User::cart);
    }

    /** The user {@code id}, unless deleted (a deleted user's cart is a 404, for reads and writes alike). */
    private static Query byId(ObjectId id) {
        return Query.query(Deletion.notDeleted().and("_id").is(id));
    }
}
