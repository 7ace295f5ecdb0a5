@fixture @capability-interceptPublish
Feature: Publish middleware rewrites what subscribers receive
  PUBLISH_IN middleware may let a client's #publish through with other data (allow({data})). Every
  subscriber of the channel then receives the replaced data, whether the client published with a
  request (invokePublish, still acknowledged) or a transmit (transmitPublish). The fixture (optional
  capability interceptPublish) replaces the data D published to a channel named
  conformance.intercept.* with {"intercepted": D} ({"intercepted": null} when the publication had no
  data). Each scenario uses channel names of its own.

  @server @v1 @v2 @L3 @MW-006 @S73
  Scenario: The subscribers of an invokePublish receive the data the middleware put in
    Given raw connection S has completed the handshake
    And S is subscribed to "conformance.intercept.s73"
    And raw connection P has completed the handshake
    And P is subscribed to "conformance.intercept.s73"
    When P publishes '"world"' to "conformance.intercept.s73" with invokePublish
    Then the invokePublish of P resolves
    And S receives on "conformance.intercept.s73" exactly the publications '[{"intercepted":"world"}]'
    And P receives on "conformance.intercept.s73" exactly the publications '[{"intercepted":"world"}]'

  @server @v1 @v2 @L3 @MW-006 @S74
  Scenario: The subscribers of a transmitPublish receive the data the middleware put in
    Given raw connection S has completed the handshake
    And S is subscribed to "conformance.intercept.s74"
    And raw connection P has completed the handshake
    When P publishes '{"n":1}' to "conformance.intercept.s74" with transmitPublish
    And P sends '{"event":"#publish","data":{"channel":"conformance.intercept.s74"}}'
    Then S receives on "conformance.intercept.s74" exactly the publications '[{"intercepted":{"n":1}},{"intercepted":null}]'
    And P receives no frame matching '"<any>"' within 200 ms

  @server @v1 @v2 @L3 @MW-006 @S74
  Scenario: A client's transmitPublish reaches another client's channel with the replaced data
    Given a node client S is connected
    And S is subscribed to "conformance.intercept.s74n"
    And a node client P is connected
    When P publishes '"world"' to "conformance.intercept.s74n" with channel.transmitPublish
    Then S receives on "conformance.intercept.s74n" exactly the publications '[{"intercepted":"world"}]'
