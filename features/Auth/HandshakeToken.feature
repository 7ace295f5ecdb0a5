Feature: Authenticate with the token sent in the handshake
  A client that holds a signed JWT sends it as data.authToken of its #handshake. A valid token makes the
  socket authenticated at once (isAuthenticated true, no authError, and no #setAuthToken follows). A bad
  token - malformed, wrongly signed or expired - is a soft failure: the connection is established,
  the response carries authError with isBadToken true, and #removeAuthToken follows at once. A token
  that is not valid yet (nbf in the future) is refused without removal.

  Background:
    Given token bob is issued by the server for '{"username":"bob"}'
    And token expired is issued by the server for '{"username":"bob","exp":"$now-60"}'
    And token notyet is issued by the server for '{"username":"bob","nbf":"$now+3600"}'
    And token badsig is the text "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmE"
    And token malformed is the text "not-a-token"

  Rule: The server verifies the handshake token

    @server @fixture @v1 @v2 @L4 @AU-001 @S2 @S69
    Scenario: A valid handshake token authenticates the socket
      Given raw connection A is open
      When A sends '{"event":"#handshake","data":{"authToken":"$token.bob"},"cid":$cid}'
      Then A next receives exactly '{"rid":"$lastCid","data":{"id":"<string>","pingTimeout":"<number>","isAuthenticated":true}}'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"authenticated","authToken":{"username":"bob"}}'

    @server @fixture @v1 @v2 @L4 @AU-002
    Scenario: No #setAuthToken follows a valid handshake token
      Given raw connection A has completed the handshake with token bob
      Then A receives no frame matching '{"event":"#setAuthToken"}' within 1000 ms

    @server @fixture @v1 @v2 @L4 @AU-003 @S3 @not-v14
    Scenario Outline: A bad handshake token gives authError and is removed at once
      Given raw connection A is open
      When A sends '{"event":"#handshake","data":{"authToken":"$token.<token>"},"cid":$cid}'
      Then A next receives exactly '{"rid":"$lastCid","data":{"id":"<string>","pingTimeout":"<number>","isAuthenticated":false,"authError":{"name":"<name>","message":"<message>","isBadToken":true<more>}}}'
      And A next receives exactly '{"event":"#removeAuthToken"}'
      And A stays open for 500 ms
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"unauthenticated","authToken":null}'

      Examples:
        | token     | name                  | message           | more                 |
        | badsig    | AuthTokenInvalidError | invalid signature |                      |
        | malformed | AuthTokenInvalidError | jwt malformed     |                      |
        | expired   | AuthTokenExpiredError | jwt expired       | ,"expiry":"<string>" |

    @server @fixture @v1 @v2 @L4 @AU-003 @not-v14
    Scenario: An expired handshake token reports its expiry
      Given raw connection A is open
      When A sends '{"event":"#handshake","data":{"authToken":"$token.expired"},"cid":$cid}'
      Then A next receives '{"rid":"$lastCid","data":{"authError":{"name":"AuthTokenExpiredError","expiry":"<string>","isBadToken":true}}}'

    @server @fixture @v1 @v2 @L4 @AU-004 @not-v14
    Scenario: A handshake token that is not valid yet is refused without removal
      Given raw connection A is open
      When A sends '{"event":"#handshake","data":{"authToken":"$token.notyet"},"cid":$cid}'
      Then A next receives exactly '{"rid":"$lastCid","data":{"id":"<string>","pingTimeout":"<number>","isAuthenticated":false,"authError":{"name":"AuthTokenNotBeforeError","message":"jwt not active","date":"<string>","isBadToken":false}}}'
      And A receives no frame matching '{"event":"#removeAuthToken"}' within 1000 ms

  Rule: Clients present their stored token and apply the verdict

    @client @fixture @v1 @v2 @L4 @AU-015 @S2 @S11 @C5 @C10
    Scenario: A client with a stored valid token is authenticated at connect
      Given the known-good server is running
      And a client C is connected with options '{"storedToken":"$token.bob"}'
      Then C emits connect with '{"isAuthenticated":true,"authError":"<absent>"}'
      And the auth state of C is authenticated
      And the auth token of C matches '{"username":"bob"}'
      And the known-good server receives from C a frame matching '{"event":"#handshake","data":{"authToken":"$token.bob"},"cid":"<number>"}'

    @client @fixture @v1 @v2 @L4 @AU-016 @S3 @S8 @C6
    Scenario Outline: A client whose stored token is refused becomes unauthenticated and drops the token
      Given the known-good server is running
      And a client C is connected with options '{"storedToken":"$token.<token>"}'
      Then C emits connect with '{"isAuthenticated":false,"authError":{"name":"<name>"}}'
      And the auth state of C becomes unauthenticated
      And the signed auth token of C is 'null'
      And the auth token of C matches 'null'

      Examples:
        | token   | name                  |
        | badsig  | AuthTokenInvalidError |
        | expired | AuthTokenExpiredError |
