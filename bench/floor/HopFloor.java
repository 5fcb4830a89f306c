import java.net.URI;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The floor of a pass-through hop (bench/NOTES.md, "The floor of a hop"): a proxy of a few lines that sends
 * {@code GET /api/...} on to a backend as {@code GET /...} and streams the answer back, with nothing else, to set the
 * gateway's CPU per request of scenario 2 beside what the stack underneath costs alone. Not part of the product.
 * <p>
 * {@code netty}: a Reactor Netty {@code HttpServer} handing each request to one Reactor Netty {@code HttpClient}.
 * {@code webflux}: a {@code RouterFunction} behind WebFlux's {@code HttpHandler} (its exchange and codecs, no Spring
 * Boot) answering with one {@code WebClient}. Run with the JDK's source launcher on the gateway's libraries:
 * <pre>
 * java @jvm.options -cp 'gateway/target/fast/lib/*' bench/floor/HopFloor.java webflux 29391 http://127.0.0.1:8082
 * </pre>
 */
public class HopFloor {

    public static void main(String[] args) throws InterruptedException {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        String backend = args[2];
        if (mode.equals("netty")) {
            HttpClient client = HttpClient.create().baseUrl(backend);
            HttpServer.create().host("127.0.0.1").port(port)
                    .handle((request, response) -> client.get().uri(request.uri().replaceFirst("^/api", ""))
                            .response((answer, body) -> response.status(answer.status())
                                    .headers(answer.responseHeaders()).send(body.retain()))
                            .then())
                    .bindNow();
        } else {
            WebClient client = WebClient.create();
            RouterFunction<ServerResponse> route = RouterFunctions.route(RequestPredicates.GET("/api/**"), request -> {
                URI uri = request.uri();
                String target = backend + uri.getRawPath().replaceFirst("^/api", "")
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                return client.get().uri(URI.create(target)).retrieve().toEntityFlux(DataBuffer.class)
                        .flatMap(answer -> ServerResponse.status(answer.getStatusCode())
                                .headers(headers -> headers.addAll(answer.getHeaders()))
                                .body(answer.getBody(), DataBuffer.class));
            });
            HttpServer.create().host("127.0.0.1").port(port)
                    .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(route))).bindNow();
        }
        System.out.println("HopFloor " + mode + " on 127.0.0.1:" + port + ", to " + backend);
        Thread.currentThread().join();
    }
}
