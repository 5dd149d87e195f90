-- One database per EvPower service (docker compose runs this once, on an empty data volume). Each service's Flyway
-- migrations create its tables at start-up.
CREATE DATABASE evpower_security;
CREATE DATABASE evpower_gateway;
CREATE DATABASE evpower_payment;
CREATE DATABASE evpower_charging;
