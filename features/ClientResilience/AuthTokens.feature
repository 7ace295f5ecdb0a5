@client @scripted
Feature: Scripted server — #setAuthToken and #removeAuthToken sent as requests
  A server may send #setAuthToken and #removeAuthToken as requests, with a cid (the official server does with
  rejectOnFailedDelivery); the client then applies them and must answer {"rid":N}, or the server's call fails
  after its ack timeout although the token arrived (digest §6.1, §13 item 14). The client does not verify tokens,
  so the scripted server can hand out any JWT-shaped string.

  Background:
    Given the scripted server is running
    And token bob is the text "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiIsImlhdCI6MTcwMDAwMDAwMH0.c2NyaXB0ZWQtc2lnbmF0dXJl"

  @v1 @v2 @L4 @AU-025 @AU-014 @AU-020
  Scenario: A client answers #setAuthToken and #removeAuthToken requests with their rid
    Given a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S sends '{"event":"#setAuthToken","data":{"token":"$token.bob"},"cid":$cid}'
    Then S receives exactly '{"rid":"$lastCid"}'
    And the auth state of C becomes authenticated
    And the signed auth token of C is '"$token.bob"'
    And the auth token of C matches '{"username":"bob"}'
    And C emits authenticate with '{"signedAuthToken":"$token.bob"}'
    When S sends '{"event":"#removeAuthToken","cid":$cid}'
    Then S receives exactly '{"rid":"$lastCid"}'
    And the auth state of C becomes unauthenticated
    And C emits deauthenticate with '{"oldSignedAuthToken":"$token.bob"}'

  @v1 @v2 @L4 @AU-026
  Scenario: A #setAuthToken request without data is answered with InvalidMessageError
    Given a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S sends '{"event":"#setAuthToken","cid":$cid}'
    Then S receives '{"rid":"$lastCid","error":{"name":"InvalidMessageError","message":"No token data provided by #setAuthToken event"}}'
    And the auth state of C is unauthenticated
    And C stays open for 200 ms
