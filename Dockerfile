# One image recipe for every service: docker build --build-arg SERVICE=user-service .
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml run.sh ./
COPY shared shared
COPY user-service user-service
COPY product-service product-service
COPY gateway gateway
# the root pom lists every module and Maven reads them all, even with -pl; the end-to-end tests are not built here
COPY e2e/pom.xml e2e/pom.xml
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl ${SERVICE} -am package -DskipTests \
    && cp ${SERVICE}/target/${SERVICE}-*.jar /app.jar \
    && java -Djarmode=tools -jar /app.jar extract --layers --destination /layers \
    && ./run.sh keys > /training-keys.env

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --no-create-home app
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# the JVM flags of every start (./run.sh and bench/run.sh read the same file), and fewer glibc malloc arenas
COPY jvm.options ./
ENV MALLOC_ARENA_MAX=2
# Class-data sharing (Spring Boot's way): a training run starts the service up to a refreshed context on the
# in-memory store, with throwaway keys of the build stage, and stops; the classes it loaded are archived in
# app.jsa, which every start maps instead of loading them from the jars again.
RUN --mount=type=bind,from=build,source=/training-keys.env,target=/tmp/training-keys.env \
    set -a && . /tmp/training-keys.env && set +a \
    && SERVICE_PRIVATE_KEY=$GATEWAY_PRIVATE_KEY SHOP_STORE_EMBEDDED_BACKEND=memory PORT=0 \
       java @jvm.options -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar app.jar > /dev/null
USER app
ENTRYPOINT ["java", "@jvm.options", "-XX:SharedArchiveFile=app.jsa", "-jar", "app.jar"]
