@client @scripted
Feature: Scripted server — a handshake response that goes wrong
  The client under test connects to a scripted server (features/STEPS.md §12) that answers its #handshake the way
  a scenario says: not at all, with a response the client cannot correlate, with an error carrying a statusCode, or
  with a response that lacks a field. The official client 20.0.2 bounds the handshake with its ackTimeout and closes
  with 4003 when no usable reply comes (a reply without a numeric rid equal to the handshake's cid is no reply);
  4007 is its code for a WebSocket that does not even open within connectTimeout (spec/errata.md E-24).

  Background:
    Given the scripted server is running

  @v1 @v2 @L1 @HS-011
  Scenario Outline: A handshake without a usable reply ends with 4003 after the ackTimeout
    When a client C is created with options '{"ackTimeout":1500,"autoReconnect":false}'
    And the scripted server accepts connection S
    And S receives '{"event":"#handshake","data":{"authToken":null},"cid":"<number>"}'
    And <reply>
    Then C emits connectAbort with '{"code":4003,"reason":"TimeoutError: Event response for #handshake event timed out"}'
    And C emits close with '{"code":4003}'
    And S is closed with code 4003
    And C does not emit connect within 500 ms
    And C has emitted, in order, "connectAbort, close"
    And the connection state of C is closed

    Examples:
      | reply                                                                                                  |
      | S receives no frame matching '"<any>"' within 100 ms                                                   |
      | S sends '{"rid":987654,"data":{"id":"scripted","pingTimeout":90000,"isAuthenticated":false}}'           |
      | S sends '{"rid":"$receivedCid","data":{"id":"scripted","pingTimeout":90000,"isAuthenticated":false}}'   |
      | S sends '{"data":{"id":"scripted","pingTimeout":90000,"isAuthenticated":false}}'                        |

  @v1 @v2 @L1 @HS-012
  Scenario: A WebSocket that does not open within connectTimeout ends with 4007
    Given the scripted server withholds its upgrade responses
    When a client C is created with options '{"connectTimeout":1500,"autoReconnect":false}'
    Then the scripted server gets an upgrade request within 5000 ms
    And C emits connectAbort with '{"code":4007,"reason":"Client connection establishment timed out"}'
    And C emits close with '{"code":4007}'
    And C does not emit connect within 500 ms
    And the connection state of C is closed

  # S62: the statusCode of a handshake error is the client's close code, and so decides whether it reconnects.
  @v1 @v2 @L2 @HS-010 @RC-002 @S62
  Scenario Outline: A handshake error with statusCode <code> closes with <code> and stops reconnecting
    When a client C is created with options '{"autoReconnectOptions":{"initialDelay":300,"randomness":0}}'
    And the scripted server accepts connection S
    And S receives '{"event":"#handshake","cid":"<number>"}'
    And S sends '{"rid":$receivedCid,"error":{"name":"ScriptedHandshakeError","message":"refused by the script","statusCode":<code>}}'
    Then S is closed with code <code>
    And C emits error with '{"name":"ScriptedHandshakeError","message":"refused by the script"}'
    And C emits connectAbort with '{"code":<code>,"reason":"ScriptedHandshakeError: refused by the script"}'
    And C emits close with '{"code":<code>}'
    And the scripted server gets no connection within 2000 ms
    And C does not emit connect within 10 ms

    Examples:
      | code |
      | 4501 |
      | 4500 |

  @v1 @v2 @L2 @HS-010 @RC-001 @S62
  Scenario Outline: A handshake error with statusCode <code> closes with <code> and the client tries again
    When a client C is created with options '{"autoReconnectOptions":{"initialDelay":300,"randomness":0}}'
    And the scripted server accepts connection S
    And S receives '{"event":"#handshake","cid":"<number>"}'
    And S sends '{"rid":$receivedCid,"error":{"name":"ScriptedHandshakeError","message":"refused by the script"<statusCode>}}'
    Then S is closed with code <code>
    And C emits connectAbort with '{"code":<code>,"reason":"ScriptedHandshakeError: refused by the script"}'
    And the scripted server accepts connection S2
    And S2 answers the handshake
    And C emits connect with '{"id":"scripted-S2"}'

    Examples:
      | statusCode          | code |
      | ,"statusCode":4100  | 4100 |
      |                     | 4003 |

  @v1 @v2 @L1 @HS-017
  Scenario: A handshake response without id and with an unknown key still connects the client
    When a client C is created with options '{}'
    And the scripted server accepts connection S
    And S receives '{"event":"#handshake","cid":"<number>"}'
    And S sends '{"rid":$receivedCid,"data":{"pingTimeout":90000,"isAuthenticated":false,"scriptedExtra":1}}'
    Then C emits connect with '{"pingTimeout":90000,"isAuthenticated":false}'
    And C stays open for 1000 ms
    When C invokes "afterHandshake" with '1'
    Then S receives '{"event":"afterHandshake","data":1,"cid":"<number>"}'
