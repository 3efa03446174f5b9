// @ts-check
'use strict';
module.exports = { ...require('./server'), credentials: require('./credentials') };
