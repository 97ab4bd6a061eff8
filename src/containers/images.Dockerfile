# Not built. Mirrors src/containers/images.ts so a dependency bot watching the
# docker ecosystem (Dependabot: directory /src/containers) can propose image
# bumps; test/containers/images.test.ts fails until both files agree.
FROM mcr.microsoft.com/azure-storage/azurite:3.35.0 AS azurite
FROM mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04 AS mssql
FROM mcr.microsoft.com/azure-messaging/servicebus-emulator:1.1.2 AS servicebus
FROM mcr.microsoft.com/azure-messaging/eventhubs-emulator:2.1.0 AS eventhubs
FROM mcr.microsoft.com/cosmosdb/linux/azure-cosmos-emulator:2.14.24 AS cosmosdb
