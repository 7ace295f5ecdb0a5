Feature: Deauthenticate
  Either side can end an authentication with {"event":"#removeAuthToken"}. The server sends it from
  socket.deauthenticate() and after a bad token; the client sends it from deauthenticate() and the
  server never replies, even when a cid is attached. The server also drops an expired token lazily, at
  the next pong or message after the expiry.

  Background:
    Given token bob is issued by the server for '{"username":"bob"}'

  Rule: The server deauthenticates sockets

    @server @fixture @v1 @v2 @L4 @AU-011
    Scenario: Server-side deauthenticate sends #removeAuthToken
      Given raw connection A has completed the handshake with token bob
      When A invokes "conformance.deauthenticate" without data
      Then A receives '{"event":"#removeAuthToken","cid":"<absent>"}'
      And the invoke of A resolves without data
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"unauthenticated","authToken":null}'

    @server @fixture @v1 @v2 @L4 @AU-012 @S5
    Scenario Outline: The client's #removeAuthToken unauthenticates the socket without a reply
      Given raw connection A has completed the handshake with token bob
      When A sends '<frame>'
      Then A receives no frame matching '"<any>"' within 500 ms
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"unauthenticated","authToken":null}'

      Examples:
        | frame                                   |
        | {"event":"#removeAuthToken"}            |
        | {"event":"#removeAuthToken","cid":$cid} |

    @server @fixture @v1 @v2 @L4 @slow @AU-013
    Scenario: An expired token is removed at the next pong or message
      Given token soon is issued by the server for '{"username":"bob","exp":"$now+4"}'
      And raw connection A has completed the handshake with token soon
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"authenticated"}'
      And A receives '{"event":"#removeAuthToken"}'
      When A invokes "conformance.authState" without data
      Then the invoke of A resolves with '{"authState":"unauthenticated"}'

  Rule: Clients deauthenticate and apply the server's removal

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L4 @AU-019 @S5 @C15
    Scenario: A client deauthenticates at once and tells the server
      Given a client C is connected with options '{"storedToken":"$token.bob"}'
      When C deauthenticates
      Then the auth state of C is unauthenticated
      And C emits deauthenticate with '{"oldSignedAuthToken":"$token.bob","oldAuthToken":{"username":"bob"}}'
      And the signed auth token of C is 'null'
      And the known-good server receives from C a frame matching '{"event":"#removeAuthToken"}'
      When C invokes "conformance.authState" without data
      Then the invoke of C resolves with '{"authState":"unauthenticated","authToken":null}'

    @client @fixture @v1 @v2 @L4 @AU-020
    Scenario: A client applies the server's #removeAuthToken
      Given a client C is connected with options '{"storedToken":"$token.bob"}'
      When C invokes "conformance.deauthenticate" without data
      Then C emits deauthenticate with '{"oldAuthToken":{"username":"bob"}}'
      And the auth state of C becomes unauthenticated
      And the signed auth token of C is 'null'
      And the auth token of C matches 'null'
