@client
Feature: Calls made while disconnected
  A client that is closed still accepts transmit, invoke, transmitPublish, invokePublish and
  authenticate: the call starts a connection (even with autoConnect false) and is sent after the
  handshake, in call order. Channels are not part of that queue: they are intentions that are
  (re)subscribed right after the handshake, before queued calls, so "subscribe, then publish" while
  disconnected delivers the publication to the subscriber itself. If the connection attempt fails,
  queued invokes fail with BadConnectionError.

  Background:
    Given the known-good server is running

  @fixture @v1 @v2 @L2 @RC-008 @C32
  Scenario: A transmit after a disconnect reconnects and is delivered
    Given a client C is connected
    When C disconnects
    And C transmits "customRemoteEvent" with '"foo"'
    Then C emits connect with '{}'
    And C has emitted, in order, "connecting, connect, disconnect, close, connecting, connect"
    When C invokes "conformance.received" with '{"event":"customRemoteEvent"}'
    Then the invoke of C resolves with '["foo"]'

  @fixture @v1 @v2 @L2 @RC-008
  Scenario: An invoke on a client that never connected connects it and is answered
    Given a client C is created with options '{"autoConnect":false}'
    Then the connection state of C is closed
    When C invokes "customProc" with '{"foo":"bar"}'
    Then the invoke of C resolves with '"Success"'
    And the connection state of C is open

  @fixture @v1 @v2 @L2 @RC-008
  Scenario: Calls queued while closed are sent in call order after the handshake
    Given a client C is created with options '{"autoConnect":false}'
    When C transmits "customRemoteEvent" with '1'
    And C invokes "conformance.echo" with '2'
    And C transmits "customRemoteEvent" with '3'
    Then the invoke of C resolves with '2'
    And the known-good server receives from C a frame matching '{"event":"#handshake"}'
    And the known-good server receives from C a frame matching '{"event":"customRemoteEvent","data":1}'
    And the known-good server receives from C a frame matching '{"event":"conformance.echo","data":2}'
    And the known-good server receives from C a frame matching '{"event":"customRemoteEvent","data":3}'
    When C invokes "conformance.received" with '{"event":"customRemoteEvent"}'
    Then the invoke of C resolves with '[1,3]'

  @v1 @v2 @L3 @RC-009 @PS-017 @PS-020 @S44 @S76
  Scenario Outline: Subscribe then publish while closed delivers the publication to the subscriber
    Given a client C is created with options '{"autoConnect":false}'
    When C subscribes to "foo"
    And C publishes '<data>' to "foo" with <method>
    Then C receives on "foo" exactly the publications '[<data>]'
    And the connection state of C is open
    And the known-good server receives from C a frame matching '{"event":"#handshake"}'
    And the known-good server receives from C a frame matching '{"event":"#subscribe","data":{"channel":"foo"}}'
    And the known-good server receives from C a frame matching '{"event":"#publish","data":{"channel":"foo"}}'

    Examples:
      | method          | data  |
      | invokePublish   | 123   |
      | transmitPublish | "bar" |

  @v1 @v2 @L3 @RC-009
  Scenario: Subscribed channels go pending on disconnect and are subscribed again on connect
    Given a client C is connected
    And C is subscribed to "foo"
    When C disconnects
    Then C emits subscribeStateChange with '{"channel":"foo","oldChannelState":"subscribed","newChannelState":"pending"}'
    And channel "foo" of C is pending
    When C connects
    Then channel "foo" of C becomes subscribed
    And C emits subscribeStateChange with '{"channel":"foo","oldChannelState":"pending","newChannelState":"subscribed"}'

  @v1 @v2 @L3 @RC-012
  Scenario: Pending channels are subscribed in descending priority
    Given a client C is created with options '{"autoConnect":false}'
    When C subscribes to "low" with options '{"priority":1}'
    And C subscribes to "none"
    And C subscribes to "high" with options '{"priority":10}'
    And C connects
    Then the known-good server receives from C a frame matching '{"event":"#subscribe","data":{"channel":"high"}}'
    And the known-good server receives from C a frame matching '{"event":"#subscribe","data":{"channel":"low"}}'
    And the known-good server receives from C a frame matching '{"event":"#subscribe","data":{"channel":"none"}}'

  @fixture @v1 @v2 @L2 @RC-011
  Scenario: An invoke made while the server is unreachable fails with BadConnectionError
    Given a client C is connected with options '{"autoReconnect":false}'
    When the known-good server is stopped
    Then C emits close with '{"code":1006}'
    When C invokes "customProc" with '{"foo":"bar"}'
    Then the invoke of C fails with an error like '{"name":"BadConnectionError","type":"connectAbort"}'
    When the known-good server is started again
    And C invokes "customProc" with '{"foo":"bar"}'
    Then the invoke of C resolves with '"Success"'
