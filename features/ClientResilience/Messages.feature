@client @scripted
Feature: Scripted server — batches, unknown events, stray responses and publications
  What a client must cope with after its handshake: a JSON array of packets at any time, events and raw messages
  it has no use for, server requests it has no procedure for, responses that answer nothing, and #publish for a
  channel it never subscribed to or whose subscription is still pending (digest §13 items 8, 11, 12).

  Background:
    Given the scripted server is running

  @v1 @v2 @L1 @BA-002 @EV-007 @EV-015 @EV-016
  Scenario: A batch of transmits, a response and a request is processed element by element, in order
    Given a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    And C answers procedure "scriptedProc" by echoing
    When C invokes "pendingProc" with '1'
    Then S receives '{"event":"pendingProc","data":1,"cid":"<number>"}'
    When S sends '[{"event":"seq","data":1},{"rid":$receivedCid,"data":"answer"},{"event":"scriptedProc","data":5,"cid":$cid},{"event":"seq","data":2}]'
    Then C receives the event "seq" with '1'
    And C receives the event "seq" with '2'
    And the invoke of C resolves with '"answer"'
    And S receives '{"rid":"$lastCid","data":5}'

  @v1 @v2 @L1 @EV-022
  Scenario: Raw messages and events the client has no use for are ignored
    Given a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S sends 'not JSON at all'
    And S sends '{"truncated":'
    And S sends '123'
    And S sends '"a string"'
    And S sends 'null'
    And S sends '[]'
    And S sends '{"neither":"event nor response"}'
    And S sends '{"event":"noReceiverHere","data":1}'
    And S sends '{"event":"#scriptedUnknown","data":{"x":1}}'
    And S sends '{"event":"#publish","data":null}'
    And S sends '{"event":"#kickOut","data":{"channel":"neverSubscribed"}}'
    Then S receives no frame matching '"<any>"' within 1000 ms
    And C stays open for 200 ms
    When S sends '{"event":"after","data":"still working"}'
    Then C receives the event "after" with '"still working"'

  @v1 @v2 @L1 @EV-023 @EV-007
  Scenario: Responses with an unknown or a non-numeric rid are ignored
    Given a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When C invokes "slowProc" with '1'
    Then S receives '{"event":"slowProc","data":1,"cid":"<number>"}'
    When S sends '{"rid":987654,"data":"stray"}'
    And S sends '{"rid":"$receivedCid","data":"string rid"}'
    Then the invoke of C gets no response within 1000 ms
    And C stays open for 100 ms
    When S sends '{"rid":$receivedCid,"data":"the answer"}'
    Then the invoke of C resolves with '"the answer"'

  # The server's side of an unanswered request is its own ack timeout (EV-013); the client has nothing to send.
  @v1 @v2 @L1 @EV-024 @EV-016
  Scenario: A server request without a client procedure gets no response and harms nothing
    Given a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    And C answers procedure "known" with '"ok"'
    When S sends '{"event":"unknownProc","data":1,"cid":$cid}'
    Then the request of S gets no response within 1500 ms
    And C stays open for 100 ms
    When S sends '{"event":"known","data":2,"cid":$cid}'
    Then S receives '{"rid":"$lastCid","data":"ok"}'

  @v1 @v2 @L3 @PS-025
  Scenario: A publication for a pending channel is delivered, one for a channel never subscribed is not
    Given a client C is created with options '{}'
    And the scripted server accepts connection S
    And S answers the handshake
    And C emits connect with '{}'
    When S sends '{"event":"#publish","data":{"channel":"never","data":"lost"}}'
    And C subscribes to "news"
    Then S receives '{"event":"#subscribe","data":{"channel":"news"},"cid":"<number>"}'
    And channel "news" of C is pending
    When S sends '{"event":"#publish","data":{"channel":"news","data":"early"}}'
    Then C receives the publication '"early"' on "news"
    When S sends '{"rid":$receivedCid}'
    Then channel "news" of C becomes subscribed
    When C subscribes to "never"
    Then S receives '{"event":"#subscribe","data":{"channel":"never"},"cid":"<number>"}'
    When S sends '{"rid":$receivedCid}'
    Then channel "never" of C becomes subscribed
    And C receives no publication on "never" within 500 ms
    When S sends '{"event":"#publish","data":{"channel":"never","data":"now"}}'
    Then C receives on "never" exactly the publications '["now"]'
