@client
Feature: The client's authentication state
  A client is either authenticated or unauthenticated. Only the server's verdicts, deauthenticate()
  and failed authenticate() calls change that state: a disconnect keeps it, and the stored token is sent
  again on the next connect. Channels subscribed with waitForAuth stay pending until the client is
  authenticated.

  Background:
    Given the known-good server is running
    And token bob is issued by the server for '{"username":"bob"}'
    And token badsig is the text "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VybmFtZSI6ImJvYiJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmE"

  @fixture @v1 @v2 @L4 @AU-021 @AU-017 @AU-015 @RC-008 @C14
  Scenario: The auth state survives a disconnect, and authenticate while closed reconnects
    Given a client C is connected
    When C authenticates with token bob
    Then the authenticate of C resolves with '{"isAuthenticated":true}'
    When C disconnects
    Then the auth state of C is authenticated
    When C authenticates with token bob
    Then C emits connect with '{"isAuthenticated":true}'
    And the authenticate of C resolves with '{"isAuthenticated":true}'
    And the auth state of C is authenticated
    And C has emitted, in order, "authStateChange"
    When C invokes "conformance.authState" without data
    Then the invoke of C resolves with '{"authState":"authenticated","authToken":{"username":"bob"}}'

  @v1 @v2 @L4 @AU-021 @AU-019 @AU-017 @C15
  Scenario: Auth state transitions follow deauthenticate and authenticate, not disconnects
    Given a client C is connected with options '{"storedToken":"$token.bob"}'
    Then the auth state of C is authenticated
    When C deauthenticates
    Then the auth state of C is unauthenticated
    When C authenticates with token bob
    Then the authenticate of C resolves with '{"isAuthenticated":true}'
    And the auth state of C is authenticated
    When C disconnects
    Then the auth state of C is authenticated
    When C deauthenticates
    Then the auth state of C is unauthenticated
    And C emits authStateChange with '{"oldAuthState":"unauthenticated","newAuthState":"authenticated"}'
    And C emits authStateChange with '{"oldAuthState":"authenticated","newAuthState":"unauthenticated"}'
    And C emits authStateChange with '{"oldAuthState":"unauthenticated","newAuthState":"authenticated"}'
    And C emits authStateChange with '{"oldAuthState":"authenticated","newAuthState":"unauthenticated"}'
    And C has emitted, in order, "authStateChange, authStateChange, authStateChange, authStateChange"

  @fixture @v1 @v2 @L4 @AU-022 @C18
  Scenario: A waitForAuth channel stays pending until the client is authenticated
    Given a client C is connected
    When C subscribes to "priv" with options '{"waitForAuth":true}'
    Then C does not emit subscribe within 2000 ms
    And C does not emit subscribeFail within 10 ms
    And channel "priv" of C is pending
    And the known-good server receives from C no frame matching '{"event":"#subscribe","data":{"channel":"priv"}}' within 10 ms
    When C authenticates with token bob
    Then channel "priv" of C becomes subscribed
    When C disconnects
    Then channel "priv" of C is pending
    When C connects
    Then C emits connect with '{"isAuthenticated":true}'
    And channel "priv" of C becomes subscribed
    When C invokes "conformance.subscriptions" without data
    Then the invoke of C resolves with '["priv"]'

  @fixture @v1 @v2 @L4 @AU-022 @AU-014 @C18
  Scenario: A login through the server subscribes waiting channels
    Given a client C is connected
    When C subscribes to "priv" with options '{"waitForAuth":true}'
    And C invokes "conformance.login" with '{"username":"bob"}'
    Then the invoke of C resolves with '"<string>"'
    And channel "priv" of C becomes subscribed
    And the auth state of C is authenticated

  @v1 @v2 @L4 @AU-022 @AU-018 @RC-009 @C19
  Scenario: Waiting channels are subscribed before a queued authenticate is sent
    Given a client C is created with options '{"autoConnect":false,"storedToken":"$token.bob"}'
    When C subscribes to "priv" with options '{"waitForAuth":true}'
    And C authenticates with token badsig
    Then C emits connect with '{"isAuthenticated":true}'
    And channel "priv" of C becomes subscribed
    And the authenticate of C fails with "AuthTokenInvalidError"
    And C emits deauthenticate with '{"oldSignedAuthToken":"$token.bob","oldAuthToken":{"username":"bob"}}'
    And the auth state of C is unauthenticated
    And the auth token of C matches 'null'
    And C does not emit subscribeFail within 500 ms
    When C subscribes to "priv2" with options '{"waitForAuth":true}'
    Then C does not emit subscribe within 1000 ms
    And channel "priv2" of C is pending
    And C has emitted, in order, "authStateChange, authStateChange"
