@client @scripted
Feature: Scripted server — the server closes the connection
  Which close codes stop a client from reconnecting: 1000 and 4500 and above do (RC-002), the others do not;
  4000 (and 4001, 1005) reconnect at once, the rest after the backoff delay (RC-001, RC-003, RC-004). The
  reconnect delay is set to 4000 ms so that "at once" and "after the backoff" are told apart. A request still
  pending when the connection closes is rejected (EV-019, C31).

  Background:
    Given the scripted server is running

  @v1 @v2 @L2 @RC-002 @CC-004
  Scenario Outline: After the server closes with <code> the client does not reconnect
    Given a client C is created with options '{"autoReconnectOptions":{"initialDelay":300,"randomness":0}}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S disconnects with code <code> and reason "scripted close"
    Then C emits disconnect with '{"code":<code>,"reason":"scripted close"}'
    And the scripted server gets no connection within 2000 ms
    And the connection state of C is closed

    Examples:
      | code |
      | 1000 |
      | 4500 |
      | 4999 |

  @v1 @v2 @L2 @RC-001 @RC-003
  Scenario: After the server closes with 4000 the client reconnects at once
    Given a client C is created with options '{"autoReconnectOptions":{"initialDelay":4000,"randomness":0,"multiplier":1,"maxDelay":4000}}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S disconnects with code 4000 and reason ""
    Then C emits disconnect with '{"code":4000}'
    And C waits 0 to 500 ms before reconnecting
    And the scripted server accepts connection S2
    And S2 answers the handshake
    And C emits connect with '{"id":"scripted-S2"}'

  @v1 @v2 @L2 @RC-001 @RC-004
  Scenario Outline: After <how> the client reconnects after its backoff delay
    Given a client C is created with options '{"autoReconnectOptions":{"initialDelay":4000,"randomness":0,"multiplier":1,"maxDelay":4000}}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When <close>
    Then C emits disconnect with '{"code":<code>}'
    And C waits 4000 to 4000 ms before reconnecting
    And the scripted server accepts connection S2
    And S2 answers the handshake
    And C emits connect with '{"id":"scripted-S2"}'

    Examples:
      | how                                | close                                                | code |
      | a server close with 4100           | S disconnects with code 4100 and reason "try later"  | 4100 |
      | a dropped connection (1006)        | S drops the connection                               | 1006 |

  @v1 @v2 @L1 @EV-019 @C31
  Scenario: A pending invoke is rejected with BadConnectionError when the server closes
    Given a client C is created with options '{"autoReconnect":false}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When C invokes "neverAnswered" with '1'
    Then S receives '{"event":"neverAnswered","data":1,"cid":"<number>"}'
    When S disconnects with code 4100 and reason "scripted close"
    Then the invoke of C fails with an error like '{"name":"BadConnectionError","type":"disconnect"}'
    And C emits disconnect with '{"code":4100,"reason":"scripted close"}'
