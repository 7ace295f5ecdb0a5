@server @security
Feature: Hostile upgrade requests
  HTTP requests that are not the upgrade a SocketCluster client sends: a disallowed Origin, a wrong path, missing or
  wrong upgrade headers, odd query strings. Each case states its HTTP outcome and ends with the check that the server
  still serves a new client and an open socket N is unaffected (RB-010).

  Background:
    Given raw connection N has completed the handshake

  @fixture @capability-origins @v1 @v2 @L1 @RB-010 @RB-050
  Scenario Outline: An upgrade from a disallowed Origin is refused with 403 (<origin>)
    When an upgrade request to "/socketcluster/" with headers "Origin: <origin>" is sent
    Then it is answered with HTTP status 403
    And the server still serves a new client and N is unaffected

    Examples:
      | origin                      |
      | http://evil.example         |
      | https://evil.example:8443   |
      | http://127.0.0.2:80         |

  @fixture @capability-origins @v1 @v2 @L1 @RB-010 @RB-050
  Scenario: An upgrade from an allowed Origin is accepted
    When an upgrade request to "/socketcluster/" with headers "Origin: http://localhost:3000" is sent
    Then it is answered with HTTP status 101
    And the server still serves a new client and N is unaffected

  @v1 @v2 @L1 @RB-010 @RB-051 @TR-002
  Scenario Outline: An upgrade to a wrong path is refused with 400 (<path>)
    When an upgrade request to "<path>" with headers "" is sent
    Then it is answered with HTTP status 400
    And the server still serves a new client and N is unaffected

    Examples:
      | path                   |
      | /                      |
      | /socketcluster         |
      | /socketcluster/extra   |
      | /SOCKETCLUSTER/        |

  @v1 @v2 @L1 @RB-010 @RB-052
  Scenario Outline: An upgrade request with <case> is not upgraded
    When an upgrade request to "/socketcluster/" with headers "<headers>" is sent
    Then it is not upgraded
    And the server still serves a new client and N is unaffected

    Examples:
      | case                                | headers                          |
      | no Upgrade header                   | Upgrade: -                       |
      | Upgrade: h2c                        | Upgrade: h2c                     |
      | no Sec-WebSocket-Key                | Sec-WebSocket-Key: -             |
      | a short Sec-WebSocket-Key           | Sec-WebSocket-Key: c2hvcnQ=      |
      | Sec-WebSocket-Version 7             | Sec-WebSocket-Version: 7         |
      | Sec-WebSocket-Version 99            | Sec-WebSocket-Version: 99        |
      | no Sec-WebSocket-Version            | Sec-WebSocket-Version: -         |

  @v1 @v2 @L1 @RB-010 @RB-053
  Scenario Outline: An upgrade with an odd query string is accepted (<case>)
    When an upgrade request to '/socketcluster/?<query>' with headers '' is sent
    Then it is answered with HTTP status 101
    And the server still serves a new client and N is unaffected

    Examples:
      | case                  | query                        |
      | bad percent escapes   | a=%zz&b=%                    |
      | repeated keys         | a=1&a=2&a=3                  |
      | no value              | flag&=x&&                    |
      | a JSON-looking value  | q={"a":[1,2]}                |
